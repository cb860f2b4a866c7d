"""Test settings: the base settings with a fast password hasher and plain static storage."""

from config.settings.base import *  # noqa: F403

# Argon2 costs ~50 ms a hash by design; tests check that production uses it (tests/test_settings.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "id"
# Tasks run inside the request that enqueues them, so a test sees their outcome at once.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tasks are immediate here, so an automatic indicator refresh would run inside every service call;
# the tests of the incremental refresh call it themselves.
ILP_CHANGE_CONSUMER = ""
