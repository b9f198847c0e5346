// njs peer: the module's bodies preloaded at start with
// "js_preload_object glossary from FILE" (one immutable object shared by
// every request; njs 0.7 runs a module's top-level code once per request,
// so a file read there would be per request).  Each value is [body, etag,
// gzip body in base64 or null, gzip etag or null]: JSON cannot carry the
// gzip bytes, so they are decoded per request.

function serve(r) {
    var e = glossary[r.uri], ae;

    r.headersOut['Content-Type'] = 'application/json; charset=utf-8';

    if (e === undefined) {
        r.return(404, '{"error":"not found"}');
        return;
    }

    if (e[2] !== null) {
        r.headersOut['Vary'] = 'Accept-Encoding';
        ae = r.headersIn['Accept-Encoding'];

        if (ae !== undefined && ae.indexOf('gzip') !== -1) {
            r.headersOut['Content-Encoding'] = 'gzip';
            r.headersOut['ETag'] = e[3];
            r.return(200, Buffer.from(e[2], 'base64'));
            return;
        }
    }

    r.headersOut['ETag'] = e[1];
    r.return(200, e[0]);
}

export default {serve};
