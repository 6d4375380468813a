"""Special pages, categories and feeds."""

urlpatterns: list = []
