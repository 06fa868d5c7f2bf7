"""A small Django site for the csrf and session integration tests, served by gunicorn:

    gunicorn --chdir tests/integration/apps/django_site site_app:application

One file (settings, views, URLs): a home page that names the signed-in user, a login form that
starts a session, a logout, and a message form. Sessions are Django's database-backed default
(SQLite in SESSION_DB, made at start-up) so that the cookie is an opaque `sessionid`, as in most
Django deployments. Django's own CsrfViewMiddleware is left out on purpose: the tests show that
rampart refuses cross-site POSTs for an application that has no CSRF defence of its own.
"""

import os

import django
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.html import escape

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("SECRET_KEY", "integration-tests-django"),
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.sessions"],
    # As in Django's project template (CommonMiddleware also gives responses a Content-Length).
    MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware",
                "django.middleware.common.CommonMiddleware"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3",
                           "NAME": os.environ.get("SESSION_DB", "/tmp/rampart-django-test.db")}},
    SESSION_COOKIE_SECURE=False,
    USE_TZ=True,
)
django.setup()
call_command("migrate", "sessions", verbosity=0, interactive=False)

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body>{body}</body></html>"""


def page(title, body, status=200):
    return HttpResponse(PAGE.format(title=title, body=body), status=status)


def index(request):
    user = request.session.get("user")
    who = f"Signed in as {escape(user)}" if user else "Not signed in"
    return page("Home", f'<p id="who">{who}</p>')


def login(request):
    if request.method == "POST":
        user = request.POST.get("username", "")
        if user and request.POST.get("password") == "django-demo":
            request.session.cycle_key()  # a new session id at login
            request.session["user"] = user
            return HttpResponseRedirect("/")
        return page("Login", '<p id="error">Wrong user name or password.</p>', status=401)
    return page("Login", '<form method="post" action="/login/"><input name="username">'
                         '<input name="password" type="password"><button>Sign in</button></form>')


def logout(request):
    if request.method != "POST":
        return HttpResponse(status=405)
    request.session.flush()
    return HttpResponseRedirect("/")


def message(request):
    if request.method == "POST":
        return page("Message", f'<p id="thanks">Thanks, {escape(request.POST.get("name", ""))}!</p>')
    return page("Message", '<form id="f" method="post" action="/message/"><input name="name" '
                           'value="local"><button id="send">Send</button></form>')


urlpatterns = [
    path("", index),
    path("login/", login),
    path("logout/", logout),
    path("message/", message),
]

from django.core.wsgi import get_wsgi_application  # noqa: E402  (after settings.configure)

application = get_wsgi_application()
