-- The Lua peer of the autolink phase (t/bench/run), init_by_lua_file: what
-- an OpenResty site would write to link glossary terms, loaded before the
-- workers fork.  PREFIX/terms.jsonl (autolink_bench -w) gives each term's
-- slug, name and short definition; the table maps each name, its English
-- plural and its slug written as words, lower-cased, to the opening tag of
-- its link, as glossary_autolink writes it.  What it cannot do as the
-- module does: it knows ASCII letters and digits only (no Unicode case or
-- word boundaries, no character references), and it needs the whole body
-- (autolink_lua_filter.lua).

local path = ngx.config.prefix() .. "terms.jsonl"
local f = assert(io.open(path, "rb"))

local terms, maxwords = {}, 1

local function esc(s)
    s = s:gsub('\\"', '"'):gsub("\\n", " "):gsub("\\\\", "\\")
    return (s:gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;",
                                  [">"] = "&gt;", ['"'] = "&quot;",
                                  ["'"] = "&#39;" }))
end

local function plural(k)
    if k:match("[sxz]$") or k:match("[cs]h$") then
        return k .. "es"
    end
    if k:match("[^aeiou]y$") then
        return k:sub(1, -2) .. "ies"
    end
    return k .. "s"
end

local function add(key, tag)
    key = key:lower():gsub("[%s%-]+", " "):gsub("^ ", ""):gsub(" $", "")
    if key == "" or terms[key] then
        return
    end
    terms[key] = tag
    local n = select(2, key:gsub(" ", "")) + 1
    if n > maxwords then
        maxwords = n
    end
end

for line in f:lines() do
    local slug = line:match('"slug":"([^"]*)"')
    local name = line:match('"term":"([^"]*)"')
    local def = line:match('"shortDefinition":"(.-[^\\])"')

    if slug and name then
        local tag = '<a href="/glossary/' .. slug
            .. '" class="glossary-term" data-glossary-slug="' .. slug .. '"'
            .. (def and (' title="' .. esc(def) .. '"') or '') .. '>'
        add(name, tag)
        add(slug, tag)
        add(plural(name:lower()), tag)
    end
end

f:close()

autolink_terms = terms
autolink_maxwords = maxwords
