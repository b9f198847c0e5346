-- The Lua peer of the autolink phase, body_filter_by_lua_file: collects
-- the body (the usual OpenResty way: a chunk can end inside a term), then
-- walks it once: tags and comments pass, the text of script, style,
-- textarea and title and of the default skip list (a, h1-h6, code, pre,
-- kbd, button, select, option, label, svg, math, template, noscript)
-- passes, other text is cut into ASCII words and the longest run of words
-- (up to the longest term) that names a term, joined by white space or
-- hyphens, becomes a link: each term once, 512 links at most.

local terms, maxwords = autolink_terms, autolink_maxwords

local SKIP = { a = 1, h1 = 1, h2 = 1, h3 = 1, h4 = 1, h5 = 1, h6 = 1,
               code = 1, pre = 1, kbd = 1, button = 1, select = 1,
               option = 1, label = 1, svg = 1, math = 1, template = 1,
               noscript = 1 }
local RAW = { script = 1, style = 1, textarea = 1, title = 1 }

local ctx = ngx.ctx
local chunk, eof = ngx.arg[1], ngx.arg[2]

if chunk ~= "" then
    local buf = ctx.buf
    if not buf then
        buf = {}
        ctx.buf = buf
    end
    buf[#buf + 1] = chunk
end

if not eof then
    ngx.arg[1] = nil
    return
end

local body = table.concat(ctx.buf or {})
local out, n = {}, 0
local seen, links = {}, 0

local function link(text)
    local ws, we, wl = {}, {}, {}
    local c = 0
    for s, w, e in text:gmatch("()(%w+)()") do
        c = c + 1
        ws[c], we[c], wl[c] = s, e, w:lower()
    end
    if c == 0 then
        n = n + 1
        out[n] = text
        return
    end
    local from, i = 1, 1
    while i <= c do
        local hit, len
        local key = wl[i]
        local keys = { key }
        for j = i + 1, math.min(c, i + maxwords - 1) do
            if not text:sub(we[j - 1], ws[j] - 1):match("^[%s%-]+$") then
                break
            end
            key = key .. " " .. wl[j]
            keys[#keys + 1] = key
        end
        for k = #keys, 1, -1 do
            local t = terms[keys[k]]
            if t then
                hit, len = t, k
                break
            end
        end
        if hit then
            if not seen[hit] and links < 512 then
                seen[hit] = true
                links = links + 1
                local s, e = ws[i], we[i + len - 1]
                n = n + 1; out[n] = text:sub(from, s - 1)
                n = n + 1; out[n] = hit
                n = n + 1; out[n] = text:sub(s, e - 1)
                n = n + 1; out[n] = "</a>"
                from = e
            end
            i = i + len
        else
            i = i + 1
        end
    end
    n = n + 1
    out[n] = text:sub(from)
end

local pos, len = 1, #body
local skip, raw = 0, nil

while pos <= len do
    local lt = body:find("<", pos, true)
    local stop = lt and lt - 1 or len
    if stop >= pos then
        if skip == 0 and not raw then
            link(body:sub(pos, stop))
        else
            n = n + 1
            out[n] = body:sub(pos, stop)
        end
    end
    if not lt then
        break
    end
    local gt
    if body:sub(lt, lt + 3) == "<!--" then
        gt = select(2, body:find("-->", lt + 4, true)) or len
    else
        gt = body:find(">", lt, true) or len
    end
    n = n + 1
    out[n] = body:sub(lt, gt)
    local close, name = body:match("^<(/?)(%a[%w%-]*)", lt)
    if name then
        name = name:lower()
        if raw then
            if close == "/" and name == raw then
                raw = nil
            end
        elseif RAW[name] and close == "" then
            raw = name
        elseif SKIP[name] then
            skip = skip + (close == "/" and -1 or 1)
            if skip < 0 then
                skip = 0
            end
        end
    end
    pos = gt + 1
end

ngx.arg[1] = table.concat(out)
