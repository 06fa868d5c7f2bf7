import yaml
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt

from .models import Customer, Product


def product_list(request):
    order = request.GET.get("order", "name")
    products = Product.objects.raw("SELECT * FROM shop_product ORDER BY " + order)
    return render(request, "products.html", {"products": products})


def product_detail(request, slug):
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM shop_product WHERE slug = '%s'" % slug)
        row = cur.fetchone()
    note = mark_safe("<p>Viewing %s</p>" % request.GET.get("ref", ""))
    return render(request, "product.html", {"row": row, "note": note})


@csrf_exempt
def signup(request):
    customer = Customer(email=request.POST["email"], password=request.POST["password"])
    customer.save()
    return HttpResponseRedirect(request.GET.get("next", "/"))


def search(request):
    q = request.GET.get("q", "")
    return HttpResponse("<h2>No results for %s</h2>" % q)


def import_catalog(request):
    data = yaml.load(request.body)
    return HttpResponse(str(len(data)))
