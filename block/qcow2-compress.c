/* qcow2 compressed clusters: raw deflate streams (RFC 1951) with a 4 KiB window, as the
 * qcow2 specification's zlib compression type prescribes. */
#include <string.h>
#include <zlib.h>
#include "block/qcow2.h"

size_t qcow2_compress(uint8_t *dst, size_t dst_len, const uint8_t *src, size_t len)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -12, 9, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
        return 0;
    }
    z.next_in = (Bytef *)src;
    z.avail_in = (uInt)len;
    z.next_out = dst;
    z.avail_out = (uInt)dst_len;
    int ret = deflate(&z, Z_FINISH);
    size_t out = dst_len - z.avail_out;
    deflateEnd(&z);
    return ret == Z_STREAM_END && out < len ? out : 0;
}

int qcow2_decompress(uint8_t *dst, size_t dst_len, const uint8_t *src, size_t src_len)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, -12) != Z_OK) {
        return -1;
    }
    z.next_in = (Bytef *)src;
    z.avail_in = (uInt)src_len;
    z.next_out = dst;
    z.avail_out = (uInt)dst_len;
    int ret = inflate(&z, Z_FINISH);
    bool full = z.avail_out == 0;
    inflateEnd(&z);
    /* the stream may be followed by padding up to the sector end */
    return (ret == Z_STREAM_END || ret == Z_BUF_ERROR || ret == Z_OK) && full ? 0 : -1;
}
