from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("consult/", include("consult.urls")),
    path("notify/", include("notify.urls")),
    path("", include("projects.urls")),
]

# Chinese error pages with the site header and a way home (projects/views/errors.py).
handler403 = "projects.views.errors.permission_denied"
handler404 = "projects.views.errors.page_not_found"
handler500 = "projects.views.errors.server_error"

if settings.DEBUG:
    # Uploaded photos in development only; in production the proxy serves MEDIA_ROOT (README).
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
