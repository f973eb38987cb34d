from django.urls import path

from . import views

app_name = "charter"

urlpatterns = [
    path("", views.charter_detail, name="detail"),
    path("engagements/", views.commitment_matrix, name="matrix"),
]
