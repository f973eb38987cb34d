from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

TEXT = "text/plain; charset=utf-8"


@never_cache
@require_safe
def healthz(request):
    """200 when the application and its database answer, 503 otherwise (container and proxy health checks)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse(_("base de données injoignable") + "\n", status=503, content_type=TEXT)
    return HttpResponse("ok\n", content_type=TEXT)
