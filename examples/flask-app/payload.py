"""The bytes that /download sends, shared with the tests that check what they received."""

# A fixed 64 KiB block, repeated and cut to the size asked for.
BLOCK = bytes(range(256)) * 256


def download_chunks(size):
    """The body of /download?size=SIZE, as a generator of chunks of at most 64 KiB."""
    left = size
    while left > 0:
        n = min(left, len(BLOCK))
        yield BLOCK[:n]
        left -= n
