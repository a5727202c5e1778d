from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from two_factor.admin import AdminSiteOTPRequired
from two_factor.urls import urlpatterns as two_factor_urls

from nuso.web import views

# The admin (analysts' and administrators' workspace) asks for a verified one-time code too.
admin.site.__class__ = AdminSiteOTPRequired
admin.site.site_header = _("NUSO – administration")
admin.site.site_title = "NUSO"

handler500 = "nuso.web.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("", include(two_factor_urls)),
    path("konto/logga-ut/", LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portal/", include("nuso.portal.urls")),
    path("registrera/", include("nuso.collection.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("nuso.api.urls")),
]
