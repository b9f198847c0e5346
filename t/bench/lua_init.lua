-- Lua peer, init_by_lua_file: load every document (PREFIX/data.bin) into
-- one table keyed by URI, before the workers fork.  The file, written by
-- t/bench/export, holds per document a line "uri body_len gzip_len etag
-- gzip_etag" and then the bytes of the body and of the gzip body.

local path = ngx.config.prefix() .. "data.bin"
local f = assert(io.open(path, "rb"))
local docs = {}

while true do
    local line = f:read("*l")
    if not line then
        break
    end

    local uri, blen, glen, etag, getag =
        line:match("^(%S+) (%d+) (%d+) (%S+) (%S+)$")
    assert(uri, "bad line in " .. path)

    blen, glen = tonumber(blen), tonumber(glen)

    local e = { f:read(blen), etag }
    if glen > 0 then
        e[3] = f:read(glen)
        e[4] = getag
    end

    docs[uri] = e
end

f:close()
glossary = docs
