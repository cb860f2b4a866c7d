"""Log in and out with Django's own views; django-axes watches the login form for repeated failures."""

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): a link or an image cannot log a user out."""
