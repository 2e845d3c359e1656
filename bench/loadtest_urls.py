"""The product's URLs plus /bench/trivial/, the baseline of the load test."""

from django.http import HttpResponse
from django.urls import path

from styra.urls import urlpatterns as product_urlpatterns
from styra.web import access


@access.public
def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *product_urlpatterns]
