-- Saves FILE in Neovim set up as docs/editors.md says, for tests/nvim.rs:
--   nvim --headless -u INIT -i NONE -n -l tests/drivers/nvim-setup.lua FILE
-- INIT is the documented init.lua, `mif` is on PATH; its FileType
-- autocommand starts the server and its BufWritePre formats on save.

local file = arg[1]
vim.cmd.edit(vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local function client()
  return vim.lsp.get_clients({ bufnr = buf, name = 'mif' })[1]
end
local function say(step, detail)
  io.stdout:write(step .. ': ' .. detail .. '\n')
  io.stdout:flush()
end
local started = vim.wait(20000, function()
  return client() ~= nil and client().initialized
end, 10)
if not started then
  say('error', 'the server did not start (filetype ' .. vim.bo[buf].filetype .. ')')
  vim.cmd('qall!')
  os.exit(1)
end
say('attached', 'filetype ' .. vim.bo[buf].filetype .. ', ' .. vim.bo[buf].fileformat
  .. (vim.bo[buf].eol and '' or ', no final newline'))
vim.cmd.write()
say('saved', file)
vim.cmd('qall!')
