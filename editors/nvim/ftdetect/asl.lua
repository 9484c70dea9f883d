-- Filetypes of Amazon States Language files (AWS Step Functions state machines).
--
-- Compound filetypes: `json.states` keeps JSON syntax highlighting, ftplugin and the tree-sitter
-- `json` parser (Neovim uses the part before the dot), and adds `states` for the language server
-- (lsp/asl_lint.lua) to attach to. `*.asl.jsonc` is `jsonc.states` because JSON syntax marks
-- comments as errors.
vim.filetype.add({
  pattern = {
    ['.*%.asl%.json'] = 'json.states',
    ['.*%.asl%.jsonc'] = 'jsonc.states',
    ['.*%.asl%.ya?ml'] = 'yaml.states',
  },
})
