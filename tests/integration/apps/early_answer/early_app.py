"""A WSGI application that answers a POST without reading its body, as a view that ignores the
form does. Under gunicorn's sync worker the connection then closes with the body unread."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    # No Content-Length: the body ends when the worker closes the connection.
    return [b"answered early: ", environ["REQUEST_METHOD"].encode(), b"\n"]
