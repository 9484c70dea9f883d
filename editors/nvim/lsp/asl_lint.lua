-- asl-lint language server for Amazon States Language (AWS Step Functions state machines).
--
-- Neovim 0.11+: with `editors/nvim` on the 'runtimepath' (or this file copied to
-- `~/.config/nvim/lsp/asl_lint.lua`), enable it with
--
--     vim.lsp.enable('asl_lint')
--
-- and override any field with `vim.lsp.config('asl_lint', { ... })`. See editors/nvim/README.md.
--
-- Filetypes: `*.asl.json` is `json.states`, `*.asl.jsonc` is `jsonc.states`, `*.asl.yaml` and
-- `*.asl.yml` are `yaml.states` (ftdetect/asl.lua next to this directory sets them up). The
-- compound filetypes keep the JSON/JSONC/YAML syntax, ftplugins and tree-sitter parser, and
-- match the filetypes the AWS tooling uses. `asl` is accepted for buffers whose filetype is set
-- by hand.
--
-- Terraform: `*.tf` buffers (filetype `terraform`, Neovim's own; `hcl` for `*.hcl`) are attached
-- and sent with their own language id. The server analyses only those holding an
-- `aws_sfn_state_machine` resource or the step-functions module and ignores the others.
--
-- Plain `json` / `jsonc` buffers are NOT attached by default: the server would look at every
-- JSON file (package.json, tsconfig.json, ...) only to ignore all but state machines. To lint
-- state machines kept in `*.json` files too, add `'json', 'jsonc'` to `filetypes`; such buffers
-- are then sent with their own language id and the server analyses only the documents
-- `asl-lint check` would lint (a top-level object with both `StartAt` and `States`). Add `'yaml'`
-- too and plain YAML state machines are analysed, and CloudFormation/SAM templates holding a
-- state machine get the diagnostics of their definitions.

---@type vim.lsp.Config
return {
  cmd = { 'asl-lint', 'lsp' },
  filetypes = { 'json.states', 'jsonc.states', 'yaml.states', 'asl', 'terraform', 'hcl' },
  root_markers = { 'asl-lint.toml', '.git' },
  get_language_id = function(_, filetype)
    if filetype == 'yaml.states' or filetype == 'asl-yaml' then
      return 'asl-yaml'
    end
    if filetype == 'json' or filetype == 'jsonc' or filetype == 'json5' or filetype == 'yaml' then
      -- Opt-in plain JSON or YAML: the server decides from the content whether it is a state
      -- machine or a template (as `asl-lint check` does).
      return filetype
    end
    if filetype == 'terraform' or filetype == 'hcl' then
      -- The server reads these as Terraform (HCL) and decides from the content.
      return filetype
    end
    -- json.states, jsonc.states, asl. (The server reads `*.asl.jsonc` as JSONC from its name.)
    return 'asl'
  end,
}
