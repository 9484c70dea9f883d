-- End-to-end test of the asl-lint language server in a real, headless Neovim (0.11 or newer),
-- through the configuration shipped in editors/nvim.
--
--   ASL_LINT_BIN=/path/to/asl-lint ASL_E2E_FILE=/tmp/x/order.asl.json \
--     nvim --headless --clean -u NONE --cmd 'set rtp^=editors/nvim' \
--       -c 'luafile tests/e2e/nvim_lsp.lua'
--
-- tests/e2e/run_nvim.sh does exactly that (on copies of fixtures/, so that edits never touch
-- the repository). The checks open fixtures/order.asl.json, then orders.asl.yaml, the SAM
-- template.yaml and the Terraform orders.tf from the same directory. Exits 0 when every check
-- passes, 1 when one fails, 2 on a setup error or the overall timeout.
--
-- Environment:
--   ASL_LINT_BIN      the asl-lint binary (required)
--   ASL_E2E_FILE      the state machine to open first (default: fixtures/order.asl.json beside
--                     this script); the other fixtures are read from its directory. They are
--                     edited in their buffers only, never written.
--   ASL_E2E_TIMEOUT   overall limit in seconds (default 60)

local t0 = vim.uv.hrtime()
local function elapsed()
  return string.format('%.2fs', (vim.uv.hrtime() - t0) / 1e9)
end

local function out(s)
  io.stdout:write(s .. '\n')
  io.stdout:flush()
end

local passed, failed = 0, 0
local failures = {}

local function ok(name)
  passed = passed + 1
  out('ok   - ' .. name)
end

local function fail(name, detail)
  failed = failed + 1
  failures[#failures + 1] = name
  out('FAIL - ' .. name)
  for line in tostring(detail):gmatch('[^\n]+') do
    out('       ' .. line)
  end
end

--- Runs one check: `fn` returns nothing (pass) or an error message (fail); an error thrown
--- inside `fn` is a failure too.
local function check(name, fn)
  local success, err = xpcall(fn, debug.traceback)
  if not success then
    fail(name, 'error in the check: ' .. tostring(err))
  elseif err ~= nil then
    fail(name, err)
  else
    ok(name)
  end
end

local exiting = false
local function finish(code)
  if exiting then
    return
  end
  exiting = true
  if code ~= 0 then
    local log = vim.fs.joinpath(vim.fn.stdpath('log'), 'lsp.log')
    if vim.uv.fs_stat(log) then
      out('--- last lines of ' .. log .. ' ---')
      local lines = vim.fn.readfile(log)
      for i = math.max(1, #lines - 30), #lines do
        out(lines[i])
      end
      out('---')
    end
  end
  out('# finished in ' .. elapsed())
  out(string.format('nvim-e2e: %d passed, %d failed', passed, failed))
  if code == 0 then
    vim.cmd('qall!')
  else
    vim.cmd('cquit ' .. code)
  end
end

local function setup_error(msg)
  out('SETUP ERROR: ' .. msg)
  finish(2)
end

-- The overall limit: never hang, whatever the server does.
local limit = tonumber(vim.env.ASL_E2E_TIMEOUT or '') or 60
local watchdog = assert(vim.uv.new_timer())
watchdog:start(limit * 1000, 0, function()
  vim.schedule(function()
    out(string.format('TIMEOUT: the test did not finish within %d s', limit))
    failed = failed + 1
    finish(2)
  end)
end)
watchdog:unref()

local script_dir = vim.fs.dirname(vim.fs.abspath(debug.getinfo(1, 'S').source:sub(2)))
local repo = vim.fs.dirname(vim.fs.dirname(script_dir))
local plugin = vim.fs.joinpath(repo, 'editors', 'nvim')

local bin = vim.env.ASL_LINT_BIN
if not bin or bin == '' then
  return setup_error('set ASL_LINT_BIN to the asl-lint binary')
end
bin = vim.fs.abspath(bin)
if vim.fn.executable(bin) ~= 1 then
  return setup_error(bin .. ' is not executable')
end
if vim.fn.has('nvim-0.11') ~= 1 then
  return setup_error('Neovim 0.11 or newer is needed, this is ' .. tostring(vim.version()))
end
local file = vim.env.ASL_E2E_FILE
if not file or file == '' then
  file = vim.fs.joinpath(script_dir, 'fixtures', 'order.asl.json')
end
file = vim.fs.abspath(file)

-- editors/nvim on the runtimepath, as a user's config or plugin manager would put it. When it
-- was there before startup (`--cmd 'set rtp^=...'`), Neovim sourced ftdetect/asl.lua itself;
-- otherwise source it now, as a plugin manager does.
if not vim.tbl_contains(vim.opt.runtimepath:get(), plugin) then
  vim.opt.runtimepath:prepend(plugin)
  vim.cmd('runtime! ftdetect/asl.lua')
end
vim.cmd('filetype on')

-- The server's notifications, for the checks and for failure messages.
local published = {} -- every publishDiagnostics: { version = ..., count = ... }
local log_messages = {}
local notices = {} -- every vim.notify: { msg = ..., level = ... } (the messages a user sees)
local exit_info = nil

vim.lsp.config('asl_lint', {
  cmd = { bin, 'lsp' },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx)
      published[#published + 1] = {
        version = result and result.version,
        count = result and #result.diagnostics or 0,
        uri = result and result.uri,
      }
      return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx)
    end,
    ['window/logMessage'] = function(_, result)
      log_messages[#log_messages + 1] = result and result.message
    end,
  },
  on_exit = function(code, signal)
    exit_info = { code = code, signal = signal }
  end,
})
vim.lsp.enable('asl_lint')

-- Helpers --------------------------------------------------------------------------------------

local buf, client

local function buf_lines()
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

--- The 0-based line and byte column of the `nth` (default 1) plain occurrence of `needle`.
local function find(needle, nth)
  nth = nth or 1
  local seen = 0
  for i, line in ipairs(buf_lines()) do
    local from = 1
    while true do
      local s = line:find(needle, from, true)
      if not s then
        break
      end
      seen = seen + 1
      if seen == nth then
        return i - 1, s - 1
      end
      from = s + 1
    end
  end
  error(string.format('`%s` (occurrence %d) is not in the buffer', needle, nth))
end

--- A position `offset` bytes into the `nth` occurrence of `needle`. Columns are bytes: the
--- client offers UTF-8 and the server must pick it (a check below says so).
local function pos(needle, offset, nth)
  local line, col = find(needle, nth)
  return { line = line, character = col + (offset or 0) }
end

local function doc()
  return { uri = vim.uri_from_bufnr(buf) }
end

--- Sends `method` and returns the server's result (raises on an error answer or no answer).
local function request(method, params)
  if not vim.lsp.buf_is_attached(buf, client.id) then
    error(method .. ': asl_lint is not attached to ' .. vim.api.nvim_buf_get_name(buf))
  end
  local responses, err = vim.lsp.buf_request_sync(buf, method, params, 5000)
  if not responses then
    error(string.format('%s: no answer (%s)', method, tostring(err)))
  end
  local r = responses[client.id]
  if not r then
    error(method .. ': no answer from asl-lint')
  end
  if r.err then
    error(string.format('%s answered an error: %s', method, vim.inspect(r.err)))
  end
  return r.result
end

local function short(v)
  local s = vim.inspect(v)
  if #s > 1500 then
    s = s:sub(1, 1500) .. ' ...'
  end
  return s
end

local function diags()
  return vim.diagnostic.get(buf, { namespace = vim.lsp.diagnostic.get_namespace(client.id) })
end

local function describe_diags()
  local parts = {}
  for _, d in ipairs(diags()) do
    parts[#parts + 1] = string.format('  line %d col %d %s: %s', d.lnum + 1, d.col + 1, tostring(d.code), d.message)
  end
  return #parts > 0 and table.concat(parts, '\n') or '  (none)'
end

--- Waits for the diagnostics of the buffer's current version.
local function wait_published(ms)
  local want = vim.lsp.util.buf_versions[buf]
  local uri = vim.uri_from_bufnr(buf)
  return vim.wait(ms or 10000, function()
    for i = #published, 1, -1 do
      if published[i].uri == uri then
        return published[i].version == want
      end
    end
    return false
  end, 20)
end

local function state_names_of(symbols, into)
  into = into or {}
  for _, s in ipairs(symbols or {}) do
    into[#into + 1] = s
    state_names_of(s.children, into)
  end
  return into
end

--- Lets Neovim's main loop run (typed keys, LSP answers) for `ms` milliseconds: only inside the
--- main coroutine below.
local function sleep(ms)
  local co = coroutine.running()
  vim.defer_fn(function()
    coroutine.resume(co)
  end, ms)
  coroutine.yield()
end

--- Like vim.wait, but yields to the main loop so that typed keys are processed too.
local function wait_for(ms, cond)
  local deadline = vim.uv.now() + ms
  while vim.uv.now() < deadline do
    if cond() then
      return true
    end
    sleep(20)
  end
  return cond()
end

local function main()
  -- Open the file and wait for the server ------------------------------------------------------


  vim.cmd.edit(vim.fn.fnameescape(file))
  buf = vim.api.nvim_get_current_buf()
  out(string.format('# %s, %s, file %s (filetype %s)', tostring(vim.version()), bin, file, vim.bo[buf].filetype))

  check('filetype: *.asl.json is json.states (ftdetect/asl.lua)', function()
    if vim.bo[buf].filetype ~= 'json.states' then
      return 'filetype is `' .. vim.bo[buf].filetype .. '`'
    end
  end)

  check('config: lsp/asl_lint.lua is found on the runtimepath and merged', function()
    local cfg = vim.lsp.config.asl_lint
    if not cfg or not cfg.filetypes or not vim.tbl_contains(cfg.filetypes, 'json.states') then
      return 'vim.lsp.config.asl_lint has no filetypes from editors/nvim/lsp/asl_lint.lua: ' .. short(cfg)
    end
    local ids = {
      ['json.states'] = 'asl',
      ['jsonc.states'] = 'asl',
      ['yaml.states'] = 'asl-yaml',
      asl = 'asl',
      terraform = 'terraform',
      hcl = 'hcl',
    }
    for ft, want in pairs(ids) do
      local got = cfg.get_language_id(buf, ft)
      if got ~= want then
        return string.format('get_language_id(%s) = %s, want %s', ft, tostring(got), want)
      end
    end
  end)

  local attached = vim.wait(10000, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'asl_lint' })[1]
    return (client ~= nil and client.initialized == true) or exit_info ~= nil
  end, 20)
  attached = attached and exit_info == nil
  if not attached then
    fail('the client attaches and initializes', 'no initialized asl_lint client on the buffer within 10 s; server exit: ' .. short(exit_info))
    return finish(1)
  end
  ok('the client attaches and initializes')

  check('positionEncoding utf-8 is negotiated', function()
    if client.offset_encoding ~= 'utf-8' then
      return 'client.offset_encoding = ' .. tostring(client.offset_encoding)
    end
  end)

  -- (a) diagnostics
  local got_diags = vim.wait(10000, function()
    return #published > 0 and #diags() > 0
  end, 20)

  check('(a) diagnostics: ASL101 with a did-you-mean on the Default line, ASL103 for the unreachable states', function()
    if not got_diags then
      return 'no diagnostics within 10 s; publishes: ' .. short(published)
    end
    local default_line = find('"Default": "BackOrdr"')
    local asl101
    local unreachable = {}
    for _, d in ipairs(diags()) do
      if d.code == 'ASL101' then
        asl101 = d
      elseif d.code == 'ASL103' then
        unreachable[d.lnum] = true
      end
      if d.source ~= 'asl-lint' then
        return 'a diagnostic with source ' .. tostring(d.source) .. ':\n' .. describe_diags()
      end
    end
    if not asl101 then
      return 'no ASL101; diagnostics:\n' .. describe_diags()
    end
    if asl101.lnum ~= default_line then
      return string.format('ASL101 on line %d, want %d (the Default):\n%s', asl101.lnum + 1, default_line + 1, describe_diags())
    end
    local _, value_col = find('"BackOrdr"')
    if asl101.col ~= value_col then
      return string.format('ASL101 at column %d, want %d (the value)', asl101.col + 1, value_col + 1)
    end
    if not asl101.message:find('BackOrder', 1, true) then
      return 'ASL101 message has no did-you-mean `BackOrder`: ' .. asl101.message
    end
    if asl101.severity ~= vim.diagnostic.severity.ERROR then
      return 'ASL101 severity ' .. tostring(asl101.severity)
    end
    for _, name in ipairs({ 'BackOrder', 'Orphan' }) do
      local key = find('"' .. name .. '": {')
      if not unreachable[key] then
        return 'no ASL103 on the `' .. name .. '` key line ' .. (key + 1) .. ':\n' .. describe_diags()
      end
    end
    if #diags() ~= 3 then
      return 'want exactly ASL101 and two ASL103:\n' .. describe_diags()
    end
    local last = published[#published]
    if last.version ~= vim.lsp.util.buf_versions[buf] then
      return string.format('published version %s, buffer version %s', tostring(last.version), tostring(vim.lsp.util.buf_versions[buf]))
    end
  end)

  -- (b) hover on a Next value
  check('(b) hover on `"Next": "CheckStock"` names the target and its type', function()
    local result = request('textDocument/hover', {
      textDocument = doc(),
      position = pos('"Next": "CheckStock"', #'"Next": "' + 2),
    })
    if not result then
      return 'hover answered null'
    end
    local value = type(result.contents) == 'table' and (result.contents.value or vim.inspect(result.contents)) or tostring(result.contents)
    if not value:find('CheckStock', 1, true) or not value:find('Choice', 1, true) then
      return 'hover does not mention `CheckStock` and `Choice`:\n' .. value
    end
    if result.range then
      local line = find('"Next": "CheckStock"')
      if result.range.start.line ~= line then
        return 'hover range on line ' .. (result.range.start.line + 1) .. ', want ' .. (line + 1)
      end
    end
  end)

  -- AWS SDK integrations: hover and completion from the AWS model (ChargeCard calls
  -- aws-sdk:sqs:sendMessage).
  local function hover_text(result)
    if not result then
      return nil
    end
    return type(result.contents) == 'table' and (result.contents.value or vim.inspect(result.contents)) or tostring(result.contents)
  end

  check('(b) hover on an aws-sdk `Resource` shows the operation and its required parameters', function()
    local value = hover_text(request('textDocument/hover', {
      textDocument = doc(),
      position = pos('"arn:aws:states:::aws-sdk:sqs:sendMessage"', 10),
    }))
    if not value then
      return 'hover answered null'
    end
    for _, want in ipairs({ '`aws-sdk:sqs:sendMessage`', '`SendMessage`', '`QueueUrl` (string, required)', '`MessageBody` (string, required)' }) do
      if not value:find(want, 1, true) then
        return 'hover lacks ' .. want .. ':\n' .. value
      end
    end
  end)

  check('(b) hover on the parameter key `QueueUrl` shows its type, required, and its doc', function()
    local value = hover_text(request('textDocument/hover', {
      textDocument = doc(),
      position = pos('"QueueUrl"', 3),
    }))
    if not value then
      return 'hover answered null'
    end
    local head = '**`QueueUrl`** · string, required · in `Parameters` of `aws-sdk:sqs:sendMessage`'
    if value:sub(1, #head) ~= head then
      return 'hover does not start with ' .. head .. ':\n' .. value
    end
    if not value:find('queue', 1, true) then
      return 'hover has no doc line about the queue:\n' .. value
    end
  end)

  check('(f) completion in an SDK Task\'s `Parameters` offers the missing required `MessageBody` first', function()
    local line = find('"MessageBody.$": "$"')
    local original = buf_lines()[line + 1]
    -- MessageBody removed: `"Parameters": { "QueueUrl": "..." },`, the cursor after `{`.
    local edited = original:gsub(', "MessageBody%.%$": "%$"', '')
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { edited })
    local brace = edited:find('{', 1, true)
    local result = request('textDocument/completion', {
      textDocument = doc(),
      position = { line = line, character = brace },
      context = { triggerKind = 1 },
    })
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { original })
    local items = vim.deepcopy(result and (result.items or result) or {})
    table.sort(items, function(a, b)
      return (a.sortText or a.label) < (b.sortText or b.label)
    end)
    local labels = vim.tbl_map(function(i)
      return i.label
    end, items)
    if #items == 0 then
      return 'no completion items in `' .. edited .. '`'
    end
    if items[1].label ~= 'MessageBody' then
      return 'first item ' .. tostring(items[1].label) .. ', want MessageBody: ' .. short(labels)
    end
    if not tostring(items[1].detail):find('required', 1, true) then
      return 'MessageBody detail ' .. tostring(items[1].detail) .. ' does not say required'
    end
    if vim.tbl_contains(labels, 'QueueUrl') then
      return 'QueueUrl is given but offered: ' .. short(labels)
    end
    if not vim.tbl_contains(labels, 'DelaySeconds') then
      return 'the optional DelaySeconds is not offered: ' .. short(labels)
    end
  end)

  -- (c) definition from a Next value
  check('(c) definition from `"Next": "CheckStock"` lands on the `CheckStock` key', function()
    local result = request('textDocument/definition', {
      textDocument = doc(),
      position = pos('"Next": "CheckStock"', #'"Next": "' + 1),
    })
    if not result then
      return 'definition answered null'
    end
    local loc = result.uri and result or result[1]
    if not loc then
      return 'definition answered no location: ' .. short(result)
    end
    local range = loc.range or loc.targetSelectionRange
    local uri = loc.uri or loc.targetUri
    local key_line, key_col = find('"CheckStock": {')
    if uri ~= doc().uri then
      return 'definition in another document: ' .. tostring(uri)
    end
    if range.start.line ~= key_line then
      return string.format('definition on line %d, want %d:\n%s', range.start.line + 1, key_line + 1, short(result))
    end
    if range.start.character < key_col or range.start.character > key_col + 1 then
      return string.format('definition at column %d, want the key at %d', range.start.character + 1, key_col + 1)
    end
  end)

  check('(c) vim.lsp.buf.definition() (gd) moves the cursor to the `CheckStock` key', function()
    local line, col = find('"Next": "CheckStock"')
    vim.api.nvim_win_set_cursor(0, { line + 1, col + #'"Next": "' + 1 })
    vim.lsp.buf.definition()
    local key_line = find('"CheckStock": {')
    local moved = vim.wait(5000, function()
      return vim.api.nvim_win_get_cursor(0)[1] == key_line + 1
    end, 20)
    if not moved then
      return string.format('cursor stayed at %s, want line %d', short(vim.api.nvim_win_get_cursor(0)), key_line + 1)
    end
  end)

  check('(c) <C-]> (tagfunc) jumps from `"Next": "ChargeCard"` to the `ChargeCard` key', function()
    local line, col = find('"Next": "ChargeCard"')
    vim.api.nvim_win_set_cursor(0, { line + 1, col + #'"Next": "' + 1 })
    vim.cmd('normal! ' .. vim.keycode('<C-]>'))
    local key_line = find('"ChargeCard": {')
    local at = vim.api.nvim_win_get_cursor(0)[1]
    if at ~= key_line + 1 then
      return string.format('cursor on line %d, want %d (tagfunc=%s)', at, key_line + 1, vim.bo[buf].tagfunc)
    end
  end)

  check('folding with vim.lsp.foldexpr(): each state is a fold', function()
    vim.wo.foldlevel = 99
    vim.wo.foldmethod = 'expr'
    vim.wo.foldexpr = 'v:lua.vim.lsp.foldexpr()'
    -- 1-based: the document, `States` and the ValidateOrder state open on lines 1, 4 and 5.
    local key = find('"ValidateOrder": {') + 1
    local levels = {}
    local folded = wait_for(5000, function()
      levels = { vim.fn.foldlevel(1), vim.fn.foldlevel(key - 1), vim.fn.foldlevel(key) }
      return levels[1] == 1 and levels[2] == 2 and levels[3] == 3
    end)
    vim.cmd('normal! zM')
    local closed = { vim.fn.foldclosed(key + 1), vim.fn.foldclosedend(key + 1) }
    vim.cmd('normal! zR')
    vim.wo.foldmethod = 'manual'
    if not folded then
      return 'foldlevel of lines 1, ' .. (key - 1) .. ', ' .. key .. ' = ' .. short(levels) .. ', want { 1, 2, 3 }'
    end
    if closed[1] ~= 1 then
      return 'zM did not close the document fold: ' .. short(closed)
    end
  end)

  -- (g) document symbols
  check('(g) documentSymbol lists every state, at its key', function()
    local result = request('textDocument/documentSymbol', { textDocument = doc() })
    if not result or #result == 0 then
      return 'documentSymbol answered ' .. short(result)
    end
    local by_name = {}
    for _, s in ipairs(state_names_of(result)) do
      by_name[s.name] = s
    end
    for _, name in ipairs({ 'ValidateOrder', 'CheckStock', 'ChargeCard', 'BackOrder', 'Orphan', 'Done' }) do
      local s = by_name[name]
      if not s then
        return 'no symbol `' .. name .. '` in ' .. short(vim.tbl_keys(by_name))
      end
      local range = s.selectionRange or (s.location and s.location.range)
      local want = find('"' .. name .. '": {')
      if range.start.line ~= want then
        return string.format('symbol `%s` on line %d, want %d', name, range.start.line + 1, want + 1)
      end
    end
  end)

  -- inlay hints, through Neovim's own inlay hint support
  check('inlay hints (vim.lsp.inlay_hint): `4 transitions` after the top-level `StartAt`', function()
    vim.lsp.inlay_hint.enable(true, { bufnr = buf })
    local hints = {}
    vim.wait(5000, function()
      hints = vim.lsp.inlay_hint.get({ bufnr = buf })
      return #hints > 0
    end, 20)
    vim.lsp.inlay_hint.enable(false, { bufnr = buf })
    -- No state of the fixture retries, so the only hint is the transitions one.
    if #hints ~= 1 then
      return 'want one inlay hint, got ' .. short(hints)
    end
    local h = hints[1].inlay_hint
    local line = find('"StartAt": "ValidateOrder"')
    if h.label ~= '4 transitions' or h.position.line ~= line then
      return string.format('hint %s on line %d, want `4 transitions` on line %d', short(h.label), h.position.line + 1, line + 1)
    end
  end)

  check('references of `Done` (grr): the key and both Next values', function()
    local result = request('textDocument/references', {
      textDocument = doc(),
      position = pos('"Done": {', 2),
      context = { includeDeclaration = true },
    })
    local lines = {}
    for _, l in ipairs(result or {}) do
      lines[#lines + 1] = l.range.start.line
    end
    table.sort(lines)
    local want = { (find('"Next": "Done"', 1)), (find('"Next": "Done"', 2)), (find('"Done": {')) }
    table.sort(want)
    if not vim.deep_equal(lines, want) then
      return string.format('reference lines %s, want %s', short(vim.tbl_map(function(l)
        return l + 1
      end, lines)), short(vim.tbl_map(function(l)
        return l + 1
      end, want)))
    end
  end)

  -- (f) completion
  local function completion_labels(position)
    local result = request('textDocument/completion', {
      textDocument = doc(),
      position = position,
      context = { triggerKind = 1 },
    })
    local items = result and (result.items or result) or {}
    local labels = {}
    for _, item in ipairs(items) do
      labels[item.label] = true
    end
    return labels, items
  end

  local function missing_states(labels, names)
    local missing = {}
    for _, name in ipairs(names) do
      if not labels[name] then
        missing[#missing + 1] = name
      end
    end
    return missing
  end

  check('(f) completion inside `"Next": "` offers the state names', function()
    local labels, items = completion_labels(pos('"Next": "CheckStock"', #'"Next": "'))
    local missing = missing_states(labels, { 'CheckStock', 'ChargeCard', 'BackOrder', 'Orphan', 'Done' })
    if #missing > 0 then
      return 'missing ' .. table.concat(missing, ', ') .. ' in ' .. short(vim.tbl_map(function(i)
        return i.label
      end, items))
    end
  end)

  check('(f) completion while typing a new `"Next": "` (unterminated string) offers the state names', function()
    -- What a user has typed: BackOrder's Next value replaced by an open quote.
    local line = find('"Next": "Done"', 2)
    local original = buf_lines()[line + 1]
    local typed = original:gsub('"Next": "Done"', '"Next": "')
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { typed })
    local labels, items = completion_labels({ line = line, character = #typed })
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { original })
    local missing = missing_states(labels, { 'ValidateOrder', 'CheckStock', 'ChargeCard', 'Orphan', 'Done' })
    if #missing > 0 then
      return 'missing ' .. table.concat(missing, ', ') .. ' in ' .. short(vim.tbl_map(function(i)
        return i.label
      end, items))
    end
  end)

  -- The buffer is back to the fixture: wait for its diagnostics before editing on.
  if not wait_published() then
    fail('diagnostics are re-published after an edit', 'none for version ' .. tostring(vim.lsp.util.buf_versions[buf]) .. '; publishes: ' .. short(published))
  end

  check('utf-8 positions: hover and definition after non-ASCII text on the line', function()
    -- The Choice rule's `"Next": "ChargeCard"`, with a Comment holding 2- and 3-byte characters
    -- before it: UTF-8 and UTF-16 columns differ by 3 there.
    local line = find('"Next": "ChargeCard"')
    local original = buf_lines()[line + 1]
    local changed = original:gsub('"Next"', '"Comment": "prüfen ✓", "Next"')
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { changed })
    local value_col = select(2, find('"ChargeCard"'))
    local at = { line = line, character = value_col + 3 }
    local hover = request('textDocument/hover', { textDocument = doc(), position = at })
    local def = request('textDocument/definition', { textDocument = doc(), position = at })
    local mid_comment = request('textDocument/hover', {
      textDocument = doc(),
      position = { line = line, character = select(2, find('✓')) },
    })
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { original })
    if not hover or not hover.range then
      return 'no hover (with a range) on the value: ' .. short(hover)
    end
    if hover.range.start.character ~= value_col or hover.range['end'].character ~= value_col + #'"ChargeCard"' then
      return string.format('hover range %s, want bytes %d..%d of `%s`', short(hover.range), value_col, value_col + #'"ChargeCard"', changed)
    end
    if not hover.contents.value:find('ChargeCard', 1, true) then
      return 'hover is not about ChargeCard: ' .. hover.contents.value
    end
    local loc = def and (def.uri and def or def[1])
    if not loc or loc.range.start.line ~= find('"ChargeCard": {') then
      return 'definition ' .. short(def)
    end
    if mid_comment and mid_comment.contents.value:find('ChargeCard', 1, true) then
      return 'hover inside the Comment is about ChargeCard: columns are not read as UTF-8'
    end
  end)

  -- What a person does: keys typed in insert mode, completion from the popup menu.
  check('(f) typing `"Next": "Che` then <C-x><C-o> and <C-y> inserts `"CheckStock"`', function()
    local line = find('"Next": "Done"', 2)
    local original = buf_lines()[line + 1]
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { '      ' })
    vim.api.nvim_win_set_cursor(0, { line + 1, 0 })
    local completeopt = vim.o.completeopt
    vim.o.completeopt = 'menuone,noinsert' -- a menu even for one match; <C-y> inserts it
    vim.api.nvim_feedkeys(vim.keycode('A"Next": "Che<C-x><C-o>'), 'nt', false)
    local shown = wait_for(5000, function()
      return vim.fn.pumvisible() == 1
    end)
    local info = vim.fn.complete_info({ 'items' })
    local words = vim.tbl_map(function(i)
      return i.abbr ~= '' and i.abbr or i.word
    end, info.items or {})
    vim.api.nvim_feedkeys(vim.keycode('<C-y><Esc>'), 'nt', false)
    wait_for(2000, function()
      return vim.api.nvim_get_mode().mode == 'n'
    end)
    vim.o.completeopt = completeopt
    local typed = buf_lines()[line + 1]
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { original })
    if not shown then
      return 'no completion menu; the line reads: ' .. typed
    end
    if not vim.deep_equal(words, { 'CheckStock' }) then
      return 'the menu offers ' .. short(words) .. ', want only CheckStock'
    end
    if typed ~= '      "Next": "CheckStock"' then
      return 'after accepting, the line reads `' .. typed .. '`'
    end
  end)

  check('(f) inside closed quotes, `"Next": "Che|"` then <C-x><C-o> and <C-y> gives `"CheckStock"`', function()
    local line = find('"Next": "Done"', 2)
    local original = buf_lines()[line + 1]
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { '      ' })
    vim.api.nvim_win_set_cursor(0, { line + 1, 0 })
    local completeopt = vim.o.completeopt
    vim.o.completeopt = 'menuone,noinsert'
    -- The closing quote typed first (as an auto-pair plugin does), the cursor back inside.
    vim.api.nvim_feedkeys(vim.keycode('A"Next": "Che"<Left><C-x><C-o>'), 'nt', false)
    local shown = wait_for(5000, function()
      return vim.fn.pumvisible() == 1
    end)
    vim.api.nvim_feedkeys(vim.keycode('<C-y><Esc>'), 'nt', false)
    wait_for(2000, function()
      return vim.api.nvim_get_mode().mode == 'n'
    end)
    vim.o.completeopt = completeopt
    local typed = buf_lines()[line + 1]
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { original })
    if not shown then
      return 'no completion menu; the line reads: ' .. typed
    end
    if typed ~= '      "Next": "CheckStock"' then
      return 'after accepting, the line reads `' .. typed .. '`'
    end
  end)

  check('(f) vim.lsp.completion.enable autotrigger: typing `"Next": "` opens the state names', function()
    vim.lsp.completion.enable(true, client.id, buf, { autotrigger = true })
    local line = find('"Next": "Done"', 2)
    local original = buf_lines()[line + 1]
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { '      ' })
    vim.api.nvim_win_set_cursor(0, { line + 1, 0 })
    vim.api.nvim_feedkeys(vim.keycode('A"Next": "'), 'nt', false)
    local words = {}
    local shown = wait_for(5000, function()
      words = {}
      for _, i in ipairs(vim.fn.complete_info({ 'items' }).items or {}) do
        words[#words + 1] = i.abbr ~= '' and i.abbr or i.word
      end
      return vim.fn.pumvisible() == 1 and vim.tbl_contains(words, 'Done')
    end)
    local typed = vim.api.nvim_get_current_line()
    vim.api.nvim_feedkeys(vim.keycode('<C-e><Esc>'), 'nt', false)
    wait_for(2000, function()
      return vim.api.nvim_get_mode().mode == 'n'
    end)
    vim.lsp.completion.enable(false, client.id, buf)
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { original })
    if not shown then
      return 'no menu with the state names after typing; line `' .. typed .. '`, menu ' .. short(words)
    end
    local missing = missing_states(
      vim.iter(words):fold({}, function(acc, w)
        acc[w] = true
        return acc
      end),
      { 'ValidateOrder', 'CheckStock', 'ChargeCard', 'Orphan', 'Done' }
    )
    if #missing > 0 then
      return 'the menu lacks ' .. table.concat(missing, ', ') .. ': ' .. short(words)
    end
  end)

  if not wait_published() then
    fail('diagnostics are re-published after typing', 'none for version ' .. tostring(vim.lsp.util.buf_versions[buf]))
  end

  -- (e) the quick fix of ASL101
  check('(e) code action "Change `BackOrdr` to `BackOrder`" fixes ASL101', function()
    local target
    for _, d in ipairs(diags()) do
      if d.code == 'ASL101' then
        target = d
      end
    end
    if not target then
      return 'no ASL101 to fix:\n' .. describe_diags()
    end
    local lsp_diag = target.user_data and target.user_data.lsp
    local result = request('textDocument/codeAction', {
      textDocument = doc(),
      range = lsp_diag.range,
      context = { diagnostics = { lsp_diag }, triggerKind = 1 },
    })
    local action
    local titles = {}
    for _, a in ipairs(result or {}) do
      titles[#titles + 1] = a.title
      if a.title == 'Change `BackOrdr` to `BackOrder`' then
        action = a
      end
    end
    if not action then
      return 'no action "Change `BackOrdr` to `BackOrder`" among: ' .. short(titles)
    end
    if action.kind ~= 'quickfix' then
      return 'the action has kind ' .. tostring(action.kind) .. ', want quickfix'
    end
    if not action.edit then
      return 'the action has no edit (command: ' .. short(action.command) .. ')'
    end
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
    if not vim.api.nvim_buf_get_lines(buf, 0, -1, false)[target.lnum + 1]:find('"Default": "BackOrder"', 1, true) then
      return 'after the edit the line reads: ' .. buf_lines()[target.lnum + 1]
    end
    if not wait_published() then
      return 'no diagnostics published for the edited version ' .. tostring(vim.lsp.util.buf_versions[buf])
    end
    for _, d in ipairs(diags()) do
      if d.code == 'ASL101' then
        return 'ASL101 is still there after the fix:\n' .. describe_diags()
      end
    end
    local codes = vim.tbl_map(function(d)
      return d.code .. '@' .. (d.lnum + 1)
    end, diags())
    local orphan = find('"Orphan": {')
    if #codes ~= 1 or codes[1] ~= 'ASL103@' .. (orphan + 1) then
      return 'after the fix, want only ASL103 on `Orphan` (line ' .. (orphan + 1) .. '):\n' .. describe_diags()
    end
  end)

  -- (d) rename
  check('(d) rename `Done` to `Finished` changes the key and every reference', function()
    local at = pos('"Done": {', 2)
    local prepared = request('textDocument/prepareRename', { textDocument = doc(), position = at })
    if not prepared then
      return 'prepareRename answered null on the `Done` key'
    end
    local range = prepared.range or prepared
    local _, key_col = find('"Done": {')
    if range.start.line ~= at.line or range.start.character ~= key_col + 1 or range['end'].character ~= key_col + 5 then
      return 'prepareRename range ' .. short(prepared) .. ', want the name inside the quotes'
    end
    local edit = request('textDocument/rename', { textDocument = doc(), position = at, newName = 'Finished' })
    if not edit then
      return 'rename answered null'
    end
    vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding)
    local text = table.concat(buf_lines(), '\n')
    local _, keys = text:gsub('"Finished": {', '')
    local _, nexts = text:gsub('"Next": "Finished"', '')
    if keys ~= 1 or nexts ~= 2 or text:find('Done', 1, true) then
      return string.format('after the rename: %d `"Finished": {` key(s) (want 1), %d `"Next": "Finished"` (want 2), `Done` left: %s\nedit: %s', keys, nexts, tostring(text:find('Done', 1, true) ~= nil), short(edit))
    end
    if not wait_published() then
      return 'no diagnostics published for the renamed version'
    end
    for _, d in ipairs(diags()) do
      if d.code == 'ASL101' then
        return 'the rename left an unknown target:\n' .. describe_diags()
      end
    end
  end)

  -- Other documents, in the same Neovim and the same server: a `*.asl.yaml` state machine, a SAM
  -- template and a Terraform file (copies of fixtures/, beside ASL_E2E_FILE). The helpers above
  -- (find, pos, request, diags, ...) read `buf`: each section points it at its own buffer.
  local main_buf = buf
  local fixtures = vim.fs.dirname(file)

  --- Opens fixture `name` and makes it `buf`; true when the asl_lint client attached to it by
  --- itself (through the config's filetypes) and published diagnostics for its version.
  local function open_fixture(name)
    vim.cmd.edit(vim.fn.fnameescape(vim.fs.joinpath(fixtures, name)))
    buf = vim.api.nvim_get_current_buf()
    local attached = wait_for(10000, function()
      return vim.lsp.get_clients({ bufnr = buf, name = 'asl_lint' })[1] == client
    end)
    return attached and wait_published()
  end

  --- nil when the buffer's diagnostics are exactly `want` (`CODE@line:col`, 0-based), else why.
  local function expect_diags(want)
    local got = vim.tbl_map(function(d)
      return string.format('%s@%d:%d', tostring(d.code), d.lnum, d.col)
    end, diags())
    table.sort(got)
    want = vim.deepcopy(want)
    table.sort(want)
    if not vim.deep_equal(got, want) then
      return 'diagnostics ' .. short(got) .. ', want ' .. short(want) .. ':\n' .. describe_diags()
    end
  end

  local function at(needle, offset, nth)
    local line, col = find(needle, nth)
    return string.format('@%d:%d', line, col + (offset or 0))
  end

  --- nil when hover at `position` contains every string of `wants` (and, with `range_of`, its
  --- range is the `{ line, start, end }` given), else why.
  local function expect_hover(position, wants, range_of)
    local result = request('textDocument/hover', { textDocument = doc(), position = position })
    local value = hover_text(result)
    if not value then
      return 'hover answered null'
    end
    for _, want in ipairs(wants) do
      if not value:find(want, 1, true) then
        return 'hover lacks ' .. want .. ':\n' .. value
      end
    end
    if range_of then
      local r = result.range
      if not r or r.start.line ~= range_of[1] or r.start.character ~= range_of[2] or r['end'].character ~= range_of[3] then
        return 'hover range ' .. short(r) .. ', want line ' .. range_of[1] .. ' columns ' .. range_of[2] .. '..' .. range_of[3]
      end
    end
  end

  --- nil when definition at `from` answers the range starting at `line`:`col` (0-based, bytes)
  --- of this document and `gd` (vim.lsp.buf.definition) there moves the cursor to it.
  local function expect_definition(from, line, col)
    local result = request('textDocument/definition', { textDocument = doc(), position = from })
    local loc = result and (result.uri and result or result[1])
    if not loc then
      return 'definition answered ' .. short(result)
    end
    local range = loc.range or loc.targetSelectionRange
    if (loc.uri or loc.targetUri) ~= doc().uri then
      return 'definition in another document: ' .. short(loc)
    end
    if range.start.line ~= line or range.start.character ~= col then
      return string.format('definition at %d:%d, want %d:%d', range.start.line, range.start.character, line, col)
    end
    vim.api.nvim_win_set_cursor(0, { from.line + 1, from.character })
    vim.lsp.buf.definition()
    local moved = wait_for(5000, function()
      local c = vim.api.nvim_win_get_cursor(0)
      return c[1] == line + 1 and c[2] == col
    end)
    if not moved then
      return string.format('gd left the cursor at %s, want { %d, %d }', short(vim.api.nvim_win_get_cursor(0)), line + 1, col)
    end
  end

  --- nil when the references of the state at `position` are exactly the ranges starting at
  --- `wants` (`line:col`, 0-based), else why.
  local function expect_references(position, wants)
    local result = request('textDocument/references', {
      textDocument = doc(),
      position = position,
      context = { includeDeclaration = true },
    })
    local got = vim.tbl_map(function(l)
      return string.format('%d:%d', l.range.start.line, l.range.start.character)
    end, result or {})
    table.sort(got)
    wants = vim.deepcopy(wants)
    table.sort(wants)
    if not vim.deep_equal(got, wants) then
      return 'references at ' .. short(got) .. ', want ' .. short(wants)
    end
  end

  --- Empties line `line` (0-based) to `indent`, types `keys` at its end in insert mode, then
  --- <C-x><C-o> and <C-y> (<C-e> with `cancel`) as a person does; restores the line. Returns
  --- the line as typed and the menu's words (nil when no menu came).
  local function type_and_complete(line, indent, keys, cancel)
    local original = buf_lines()[line + 1]
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { indent })
    vim.api.nvim_win_set_cursor(0, { line + 1, 0 })
    local completeopt = vim.o.completeopt
    vim.o.completeopt = 'menuone,noinsert'
    vim.api.nvim_feedkeys(vim.keycode('A' .. keys .. '<C-x><C-o>'), 'nt', false)
    local shown = wait_for(5000, function()
      return vim.fn.pumvisible() == 1
    end)
    local words
    if shown then
      words = vim.tbl_map(function(i)
        return i.abbr ~= '' and i.abbr or i.word
      end, vim.fn.complete_info({ 'items' }).items or {})
      vim.api.nvim_feedkeys(vim.keycode(cancel and '<C-e>' or '<C-y>'), 'nt', false)
    end
    vim.api.nvim_feedkeys(vim.keycode('<Esc>'), 'nt', false)
    wait_for(2000, function()
      return vim.api.nvim_get_mode().mode == 'n'
    end)
    vim.o.completeopt = completeopt
    local typed = buf_lines()[line + 1]
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { original })
    return typed, words
  end

  --- Neovim's own rename (grn, the new name given instead of typed) with the cursor at
  --- `position`. Returns whether the buffer changed, and the notices shown meanwhile.
  local function grn(position, new_name)
    local tick = vim.api.nvim_buf_get_changedtick(buf)
    local first = #notices
    vim.api.nvim_win_set_cursor(0, { position.line + 1, position.character })
    vim.lsp.buf.rename(new_name, { bufnr = buf, name = 'asl_lint' })
    wait_for(5000, function()
      return vim.api.nvim_buf_get_changedtick(buf) ~= tick or #notices > first
    end)
    return vim.api.nvim_buf_get_changedtick(buf) ~= tick, vim.list_slice(notices, first + 1)
  end

  local function count(text, needle)
    local _, n = text:gsub(vim.pesc(needle), '')
    return n
  end

  -- A `*.asl.yaml` state machine ---------------------------------------------------------------
  local yaml_ready = open_fixture('orders.asl.yaml')

  check('*.asl.yaml: yaml.states on the same client; ASL101 (did you mean) and ASL103 at the YAML tokens', function()
    if vim.bo[buf].filetype ~= 'yaml.states' then
      return 'filetype ' .. vim.bo[buf].filetype
    end
    if not yaml_ready then
      return 'no asl_lint client attached, or no diagnostics published: ' .. short(published)
    end
    local wrong = expect_diags({ 'ASL101' .. at('Next: Gone', 6), 'ASL103' .. at('Done:') })
    if wrong then
      return wrong
    end
    for _, d in ipairs(diags()) do
      if d.code == 'ASL101' and not d.message:find('did you mean `Done`', 1, true) then
        return 'ASL101 has no did-you-mean: ' .. d.message
      end
    end
  end)

  check('*.asl.yaml: hover on `Next: Charge` and on an aws-sdk `Resource`', function()
    local line, col = find('Next: Charge')
    return expect_hover(pos('Next: Charge', 8), { '**`Charge`** · Task state', '**In:** `Validate`' }, { line, col + 6, col + 12 })
      or expect_hover(pos('aws-sdk:sqs:sendMessage', 4), { '`SendMessage`', '`QueueUrl` (string, required)' })
  end)

  check('*.asl.yaml: definition and gd from `Next: Charge` to the `Charge:` key', function()
    local line, col = find('Charge:')
    return expect_definition(pos('Next: Charge', 8), line, col)
  end)

  check('*.asl.yaml: references of `Charge`: the key and the Next value', function()
    local key_line, key_col = find('Charge:')
    local next_line, next_col = find('Next: Charge')
    return expect_references(pos('Charge:', 2), { key_line .. ':' .. key_col, next_line .. ':' .. (next_col + 6) })
  end)

  check('*.asl.yaml: typing `Next: Ch` then <C-x><C-o> and <C-y> gives `Next: Charge`', function()
    local typed, words = type_and_complete((find('Next: Gone')), '    ', 'Next: Ch')
    if not words then
      return 'no completion menu; the line reads `' .. typed .. '`'
    end
    if not vim.deep_equal(words, { 'Charge' }) then
      return 'the menu offers ' .. short(words) .. ', want only Charge'
    end
    if typed ~= '    Next: Charge' then
      return 'after accepting, the line reads `' .. typed .. '`'
    end
  end)

  check('*.asl.yaml: typing `Next: ` then <C-x><C-o> offers every state name', function()
    local typed, words = type_and_complete((find('Next: Gone')), '    ', 'Next: ', true)
    if not words then
      return 'no completion menu; the line reads `' .. typed .. '`'
    end
    table.sort(words)
    if not vim.deep_equal(words, { 'Charge', 'Done', 'Validate' }) then
      return 'the menu offers ' .. short(words) .. ', want Charge, Done, Validate'
    end
  end)

  check('*.asl.yaml: grn renames `Charge` to `Bill`, key and reference, and the file reads back', function()
    if not wait_published() then
      return 'no diagnostics for the restored buffer'
    end
    local changed, shown = grn(pos('Charge:', 2), 'Bill')
    local text = table.concat(buf_lines(), '\n')
    if not changed then
      return 'the buffer did not change; notices: ' .. short(shown)
    end
    if count(text, '  Bill:') ~= 1 or count(text, 'Next: Bill') ~= 1 or text:find('Charge', 1, true) then
      return 'after the rename:\n' .. text
    end
    if not wait_published() then
      return 'no diagnostics published for the renamed version'
    end
    return expect_diags({ 'ASL101' .. at('Next: Gone', 6), 'ASL103' .. at('Done:') })
  end)

  -- A SAM template, attached once `yaml` is in the filetypes (as editors/nvim/README.md says) ---
  local filetypes = vim.deepcopy(vim.lsp.config.asl_lint.filetypes)
  vim.lsp.config('asl_lint', { filetypes = vim.list_extend(vim.deepcopy(filetypes), { 'yaml' }) })
  local sam_ready = open_fixture('template.yaml')
  vim.lsp.config('asl_lint', { filetypes = filetypes })

  check('SAM template (`yaml` added to filetypes): attached, analysed, no finding', function()
    if vim.bo[buf].filetype ~= 'yaml' then
      return 'filetype ' .. vim.bo[buf].filetype
    end
    if not sam_ready then
      return 'no asl_lint client attached, or no diagnostics published: ' .. short(published)
    end
    return expect_diags({})
  end)

  check('SAM template: hover on `Next: Done` and definition (gd) to the `Done:` key', function()
    local line, col = find('Next: Done')
    local key_line, key_col = find('Done:')
    return expect_hover(pos('Next: Done', 7), { '**`Done`** · Succeed state', '**In:** `Start`' }, { line, col + 6, col + 10 })
      or expect_definition(pos('Next: Done', 7), key_line, key_col)
  end)

  check('SAM template: typing `Next: Do` then <C-x><C-o> and <C-y> gives `Next: Done`', function()
    local typed, words = type_and_complete((find('Next: Done')), '            ', 'Next: Do')
    if not words then
      return 'no completion menu; the line reads `' .. typed .. '`'
    end
    if not vim.deep_equal(words, { 'Done' }) then
      return 'the menu offers ' .. short(words) .. ', want only Done'
    end
    if typed ~= '            Next: Done' then
      return 'after accepting, the line reads `' .. typed .. '`'
    end
  end)

  check('SAM template: typing `Next: ` then <C-x><C-o> offers the state names', function()
    local typed, words = type_and_complete((find('Next: Done')), '            ', 'Next: ', true)
    if not words then
      return 'no completion menu; the line reads `' .. typed .. '`'
    end
    table.sort(words)
    if not vim.deep_equal(words, { 'Done', 'Start' }) then
      return 'the menu offers ' .. short(words) .. ', want Done, Start'
    end
  end)

  check('SAM template: grn renames `Done` to `Finished` in the Definition, and it reads back', function()
    if not wait_published() then
      return 'no diagnostics for the restored buffer'
    end
    local changed, shown = grn(pos('Done:', 1), 'Finished')
    local text = table.concat(buf_lines(), '\n')
    if not changed then
      return 'the buffer did not change; notices: ' .. short(shown)
    end
    if count(text, '          Finished:') ~= 1 or count(text, 'Next: Finished') ~= 1 or text:find('Done', 1, true) then
      return 'after the rename:\n' .. text
    end
    if not wait_published() then
      return 'no diagnostics published for the renamed version'
    end
    return expect_diags({})
  end)

  -- A Terraform file: `jsonencode({...})` (HCL tokens) and a heredoc of JSON ---------------------
  local tf_ready = open_fixture('orders.tf')

  check('Terraform: *.tf is `terraform`, attached by the filetypes, sent as `terraform`', function()
    if vim.bo[buf].filetype ~= 'terraform' then
      return 'filetype ' .. vim.bo[buf].filetype
    end
    local cfg = vim.lsp.config.asl_lint
    for _, ft in ipairs({ 'terraform', 'hcl' }) do
      if not vim.tbl_contains(cfg.filetypes, ft) then
        return ft .. ' is not in the filetypes: ' .. short(cfg.filetypes)
      end
      if cfg.get_language_id(buf, ft) ~= ft then
        return 'get_language_id(' .. ft .. ') = ' .. tostring(cfg.get_language_id(buf, ft))
      end
    end
    if not tf_ready then
      return 'no asl_lint client attached, or no diagnostics published: ' .. short(published)
    end
  end)

  check('Terraform: diagnostics at the HCL token (jsonencode) and in the heredoc, line and column exact', function()
    -- `Next       = "Shipp"`: ASL101 at the quoted value; the unreachable `Ship = {` key;
    -- the heredoc's Succeed state with `"End": true`, at the `"End"` key.
    local wrong = expect_diags({
      'ASL101' .. at('"Shipp"'),
      'ASL103' .. at('Ship = {'),
      'ASL011' .. at('"End": true'),
    })
    if wrong then
      return wrong
    end
    for _, d in ipairs(diags()) do
      if d.code == 'ASL101' and not d.message:find('did you mean `Ship`', 1, true) then
        return 'ASL101 has no did-you-mean: ' .. d.message
      end
    end
  end)

  check('Terraform: hover on `Next = "Charge"` and on the aws-sdk `Resource`', function()
    local line, col = find('Next = "Charge"')
    return expect_hover(pos('Next = "Charge"', 10), { '**`Charge`** · Task state', '**In:** `Validate`' }, { line, col + 7, col + 15 })
      or expect_hover(pos('aws-sdk:sqs:sendMessage', 4), { '`SendMessage`', '`QueueUrl` (string, required)' })
  end)

  check('Terraform: definition and gd from `Next = "Charge"` to the `Charge = {` key', function()
    local line, col = find('Charge = {')
    return expect_definition(pos('Next = "Charge"', 10), line, col)
  end)

  check('Terraform: definition and gd in the heredoc, from `"Next": "Done"` to the `"Done"` key', function()
    local line, col = find('"Done": {')
    return expect_definition(pos('"Next": "Done"', 10), line, col)
  end)

  check('Terraform: references of `Charge`: the key and the Next value', function()
    local key_line, key_col = find('Charge = {')
    local next_line, next_col = find('Next = "Charge"')
    return expect_references(pos('Charge = {', 2), { key_line .. ':' .. key_col, next_line .. ':' .. (next_col + 7) })
  end)

  check('Terraform: documentSymbol has both state machines, holding their states at their keys', function()
    local result = request('textDocument/documentSymbol', { textDocument = doc() })
    local got = {}
    for _, machine in ipairs(result or {}) do
      local states = {}
      for _, s in ipairs(machine.children or {}) do
        states[#states + 1] = string.format('%s@%d', s.name, s.selectionRange.start.line)
      end
      got[#got + 1] = { machine.name, machine.selectionRange.start.line, states }
    end
    local want = {
      { 'aws_sfn_state_machine.orders', (find('"aws_sfn_state_machine" "orders"')), {
        'Validate@' .. find('Validate = {'),
        'Charge@' .. find('Charge = {'),
        'Ship@' .. find('Ship = {'),
      } },
      { 'aws_sfn_state_machine.poller', (find('"aws_sfn_state_machine" "poller"')), {
        'Wait@' .. find('"Wait": {'),
        'Done@' .. find('"Done": {'),
      } },
    }
    if not vim.deep_equal(got, want) then
      return 'symbols ' .. short(got) .. ', want ' .. short(want)
    end
  end)

  check('Terraform: completion inside `Next = "` offers the state names', function()
    local labels, items = completion_labels(pos('"Shipp"', 1))
    local missing = missing_states(labels, { 'Validate', 'Charge', 'Ship' })
    if #missing > 0 then
      return 'missing ' .. table.concat(missing, ', ') .. ' in ' .. short(items)
    end
  end)

  check('Terraform: grn on the `Charge` key renames it and its `Next` in the HCL', function()
    local prepared = request('textDocument/prepareRename', { textDocument = doc(), position = pos('Charge = {', 2) })
    local key_line, key_col = find('Charge = {')
    local range = prepared and (prepared.range or prepared)
    if not range or range.start.line ~= key_line or range.start.character ~= key_col or range['end'].character ~= key_col + #'Charge' then
      return 'prepareRename answered ' .. short(prepared) .. ', want the `Charge` key'
    end
    local changed, shown = grn(pos('Charge = {', 2), 'Bill')
    local text = table.concat(buf_lines(), '\n')
    if not changed or count(text, 'Bill = {') ~= 1 or count(text, 'Next = "Bill"') ~= 1 or text:find('Charge', 1, true) then
      return 'after the rename (notices ' .. short(shown) .. '):\n' .. text
    end
    if not wait_published() then
      return 'no diagnostics published for the renamed version'
    end
    return expect_diags({ 'ASL101' .. at('"Shipp"'), 'ASL103' .. at('Ship = {'), 'ASL011' .. at('"End": true') })
  end)

  vim.cmd('buffer ' .. main_buf)
  buf = main_buf

  check('a plain package.json gets no asl_lint client (conservative default)', function()
    local json = vim.fs.joinpath(vim.fn.tempname(), 'package.json')
    vim.fn.mkdir(vim.fs.dirname(json), 'p')
    vim.fn.writefile({ '{ "name": "x", "version": "1.0.0" }' }, json)
    vim.cmd.edit(vim.fn.fnameescape(json))
    local jbuf = vim.api.nvim_get_current_buf()
    sleep(100)
    local attached_to = #vim.lsp.get_clients({ bufnr = jbuf, name = 'asl_lint' })
    local ft = vim.bo[jbuf].filetype
    vim.cmd('buffer ' .. buf)
    if ft ~= 'json' then
      return 'filetype ' .. ft
    end
    if attached_to ~= 0 then
      return 'asl_lint attached to package.json'
    end
  end)

  check('the server answered without crashing and logged that it is ready', function()
    if exit_info then
      return 'the server exited: ' .. short(exit_info)
    end
    local ready = false
    for _, m in ipairs(log_messages) do
      if tostring(m):find('ready', 1, true) then
        ready = true
      end
    end
    if not ready then
      return 'no "ready" log message; got ' .. short(log_messages)
    end
  end)

  -- Shut down: the server must exit cleanly on shutdown + exit.
  client:stop()
  local exited = vim.wait(5000, function()
    return exit_info ~= nil
  end, 20)
  check('the server exits cleanly on shutdown', function()
    if not exited then
      return 'still running 5 s after shutdown/exit'
    end
    if exit_info.code ~= 0 or exit_info.signal ~= 0 then
      return 'exit ' .. short(exit_info)
    end
  end)


  finish(failed == 0 and 0 or 1)
end

-- Run the checks in a coroutine on Neovim's main loop, so that keys fed to it are processed
-- while a check waits (`sleep`, `wait_for`). The script must be run with `-c 'luafile ...'`
-- (not `-l`, which exits when the script returns).
vim.o.showmode = false
-- Neovim's own notices (e.g. "Client asl_lint quit with exit code ...") on lines of their own.
vim.notify = function(msg, level)
  notices[#notices + 1] = { msg = msg, level = level }
  out('# nvim: ' .. tostring(msg))
end
vim.opt.shortmess:append('cF')
vim.schedule(coroutine.wrap(function()
  local success, err = xpcall(main, debug.traceback)
  if not success then
    out('ERROR: ' .. tostring(err))
    failed = failed + 1
    finish(2)
  end
end))
