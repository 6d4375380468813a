-- pandoc Lua filter: MediaWiki's reader output written back in districtwiki's own wiki syntax
-- (interchange/wikitext.py). Wiki links, categories and files become [[…]] and ![…](File:…) as raw
-- Markdown; raw HTML our renderer would not show is kept visible as code and counted.

local IMAGE = { png = true, jpg = true, jpeg = true, gif = true, webp = true }
-- Tags that only format: dropped, their content kept.
local FORMATTING = {
  span = "", div = "", font = "", center = "", small = "", big = "", u = "", ins = "", abbr = "", cite = "",
  var = "", sup = "", sub = "", b = "**", strong = "**", i = "*", em = "*", s = "~~", strike = "~~", del = "~~",
}
local WARN = "DWWARN"

local function spaced(target)
  return (target:gsub("_", " "))
end

local function warn(kind)
  return pandoc.RawInline("markdown", WARN .. kind .. WARN)
end

function Link(el)
  if not el.classes:includes("wikilink") then
    return nil
  end
  local written = spaced(el.target)
  local target = written:gsub("^[Mm]edia:", "File:")
  local label = pandoc.utils.stringify(el.content)
  local bare = written:gsub("^:", "")
  if spaced(label) == written or spaced(label) == bare or label == "" then
    return pandoc.RawInline("markdown", "[[" .. target .. "]]")
  end
  return pandoc.RawInline("markdown", "[[" .. target .. "|" .. label:gsub("[%[%]|]", "") .. "]]")
end

function Image(el)
  local name = spaced(el.src):gsub("^[Ff]ile:", ""):gsub("^[Ii]mage:", "")
  local extension = (name:match("%.([^.]+)$") or ""):lower()
  local caption = pandoc.utils.stringify(el.caption):gsub("[%[%]|]", ""):gsub("^%s+", ""):gsub("%s+$", "")
  if IMAGE[extension] then
    return pandoc.RawInline("markdown", "![" .. caption .. "](File:" .. name:gsub(" ", "_") .. ")")
  end
  return pandoc.RawInline("markdown", "[[File:" .. name .. "]]")
end

local function tag_name(text)
  return (text:match("^</?%s*([%w]+)") or ""):lower()
end

function RawInline(el)
  if el.format ~= "html" then
    return nil
  end
  local marker = FORMATTING[tag_name(el.text)]
  if marker then
    return pandoc.RawInline("markdown", marker)
  end
  return { warn("raw HTML"), pandoc.Code(el.text) }
end

function RawBlock(el)
  if el.format ~= "html" then
    return nil
  end
  if FORMATTING[tag_name(el.text)] then
    return {}
  end
  return { pandoc.Para({ warn("raw HTML") }), pandoc.CodeBlock(el.text, { class = "html" }) }
end

function Math(el)
  return pandoc.Code(el.text)
end

-- A pipe table holds one line of text per cell and no spans: richer tables are flattened to that (their
-- text kept), so that the Markdown writer never falls back to HTML.
local function flat_cell(cell)
  local only = cell.contents[1]
  local plain = #cell.contents == 1 and (only.t == "Plain" or only.t == "Para")
  if not plain then
    cell.contents = { pandoc.Plain(pandoc.utils.stringify(cell.contents)) }
  end
  return plain and cell.col_span == 1 and cell.row_span == 1
end

local function flat_rows(rows, width)
  local simple = true
  for _, row in ipairs(rows) do
    local cells = pandoc.List()
    for _, cell in ipairs(row.cells) do
      simple = flat_cell(cell) and simple
      local span = cell.col_span
      cell.col_span, cell.row_span = 1, 1
      cells:insert(cell)
      for _ = 2, span do
        cells:insert(pandoc.Cell({}))
      end
    end
    while #cells < width do
      cells:insert(pandoc.Cell({}))
    end
    row.cells = cells
  end
  return simple
end

function Table(el)
  local width = #el.colspecs
  local simple = flat_rows(el.head.rows, width)
  for _, body in ipairs(el.bodies) do
    simple = flat_rows(body.body, width) and simple
    simple = flat_rows(body.head, width) and simple
  end
  simple = flat_rows(el.foot.rows, width) and simple
  if #el.head.rows == 0 and #el.bodies > 0 and #el.bodies[1].body > 0 then
    -- a pipe table needs a header row: the first row becomes it
    el.head.rows = { table.remove(el.bodies[1].body, 1) }
  end
  if simple then
    return el
  end
  return { pandoc.Para({ warn("table simplified") }), el }
end
