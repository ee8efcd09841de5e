"""Schemathesis hooks for Consilium's OpenAPI document: how to send the
raw bytes of a tus upload (`application/offset+octet-stream`)."""
import schemathesis


@schemathesis.serializer("application/offset+octet-stream")
def raw_bytes(ctx, value):
    """Generated data as the bytes of a file chunk."""
    if isinstance(value, bytes):
        return value
    return str(value).encode()
