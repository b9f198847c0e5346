-- Lua peer, content_by_lua_file: what a hand-written OpenResty handler
-- would do with the table loaded by lua_init.lua.

local e = glossary[ngx.var.uri]

ngx.header["Content-Type"] = "application/json; charset=utf-8"

if not e then
    ngx.status = 404
    ngx.print('{"error":"not found"}')
    return
end

local body, etag = e[1], e[2]

if e[3] then
    ngx.header["Vary"] = "Accept-Encoding"

    local ae = ngx.var.http_accept_encoding
    if ae and ae:find("gzip", 1, true) then
        body, etag = e[3], e[4]
        ngx.header["Content-Encoding"] = "gzip"
    end
end

ngx.header["ETag"] = etag
ngx.header["Content-Length"] = #body
ngx.print(body)
