-- Drives headless Neovim (0.10 or newer) as a person would, for tests/nvim.rs:
--   nvim --clean --headless -l tests/drivers/nvim.lua MIF SCENARIO FILE [EXTRA]
-- Every scenario opens FILE, starts `MIF lsp` on it with vim.lsp.start,
-- and prints what it sees, one line per step, as `step: detail`; failures
-- are printed as `error: …` and exit with status 1.

local mif, scenario, file, extra = arg[1], arg[2], arg[3], arg[4]
local TIMEOUT = 20000

local function say(step, detail)
  io.stdout:write(step .. ': ' .. (detail or '') .. '\n')
  io.stdout:flush()
end

local function fail(why)
  say('error', why)
  vim.cmd('qall!')
  os.exit(1)
end

local function wait_for(what, condition)
  if not vim.wait(TIMEOUT, condition, 10) then
    fail('timed out waiting for ' .. what)
  end
end

vim.cmd.edit(vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start({
  name = 'mif',
  cmd = { mif, 'lsp' },
  root_dir = vim.fs.dirname(file),
}, { bufnr = buf })
if not client_id then
  fail('vim.lsp.start did not start the server')
end
local client = vim.lsp.get_client_by_id(client_id)
wait_for('the server to initialize', function()
  return client.initialized and vim.lsp.buf_is_attached(buf, client_id)
end)
say('attached', client.name .. ' ' .. (client.server_info and client.server_info.version or ''))

-- Diagnostics arrive after every change; each wait first forgets the old ones.
local published = 0
vim.api.nvim_create_autocmd('DiagnosticChanged', {
  buffer = buf,
  callback = function()
    published = published + 1
  end,
})
local function errors()
  return vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR })
end
local function wait_for_diagnostics(since)
  wait_for('diagnostics', function()
    return published > since
  end)
end

local function format(range)
  vim.lsp.buf.format({ bufnr = buf, async = false, timeout_ms = TIMEOUT, range = range })
end

local function describe(d)
  return string.format('%d:%d %s %s', d.lnum + 1, d.col + 1, d.code or '?', (d.message:gsub('\n.*', '')))
end

if scenario == 'diagnose' then
  -- EXTRA is `line:column:text`: the buffer edit that fixes the file.
  wait_for_diagnostics(0)
  wait_for('an error', function()
    return #errors() > 0
  end)
  for _, d in ipairs(errors()) do
    say('diagnostic', describe(d))
  end
  local line, column, text = extra:match('^(%d+):(%d+):(.*)$')
  local row, col = tonumber(line) - 1, tonumber(column) - 1
  local seen = published
  vim.api.nvim_buf_set_text(buf, row, col, row, col, { text })
  say('typed', string.format('%q at %s:%s', text, line, column))
  wait_for_diagnostics(seen)
  wait_for('the errors to clear', function()
    return #errors() == 0
  end)
  say('cleared', #vim.diagnostic.get(buf) .. ' diagnostics left, none an error')
elseif scenario == 'format' then
  format(nil)
  say('formatted', vim.bo[buf].fileformat .. (vim.bo[buf].eol and '' or ', no final newline'))
  vim.cmd.write()
  say('saved', file)
elseif scenario == 'ranges' then
  -- EXTRA is a JSON file: {ranges = [[l1, c1, l2, c2], …], out = folder};
  -- each range is formatted on the original text and the result saved.
  local job = vim.json.decode(table.concat(vim.fn.readfile(extra), '\n'))
  local original = vim.api.nvim_buf_get_lines(buf, 0, -1, true)
  for i, r in ipairs(job.ranges) do
    vim.api.nvim_buf_set_lines(buf, 0, -1, true, original)
    format({ start = { r[1] + 1, r[2] }, ['end'] = { r[3] + 1, r[4] } })
    vim.cmd('silent write! ' .. vim.fn.fnameescape(job.out .. '/' .. i .. '.mif'))
  end
  say('ranges', #job.ranges .. ' formatted and saved')
elseif scenario == 'quickfix' then
  wait_for_diagnostics(0)
  wait_for('an error', function()
    return #errors() > 0
  end)
  local d = errors()[1]
  say('diagnostic', describe(d))
  local seen = published
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local title
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      if action.kind == 'quickfix' and not title then
        title = action.title
        return true
      end
      return false
    end,
  })
  wait_for('the quick fix', function()
    return title ~= nil and published > seen
  end)
  say('applied', title)
  wait_for('the errors to clear', function()
    return #errors() == 0
  end)
  say('cleared', #vim.diagnostic.get(buf) .. ' diagnostics left, none an error')
  vim.cmd.write()
  say('saved', file)
else
  fail('unknown scenario ' .. tostring(scenario))
end

client:stop()
vim.wait(2000, function()
  return client:is_stopped()
end, 10)
vim.cmd('qall!')
