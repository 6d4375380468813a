from django.conf import settings

# Which entry of the site menu a path belongs to (its link gets aria-current): the first prefix that matches.
NAV_SECTIONS = (
    ("/pathways/", "pathways"),
    ("/special/categories", "topics"),
    ("/category/", "topics"),
    ("/special/discussions", "discussions"),
    ("/discussions/", "discussions"),
    ("/talk/", "discussions"),
    ("/members/", "members"),
    ("/events/", "events"),
    ("/advocacy/", "advocacy"),
)
# Menu entries marked only on their own page.
NAV_PAGES = {"/special/recent": "recent", "/special/all": "all", "/special/upload": "upload"}


def nav_section(path: str) -> str:
    if path in NAV_PAGES:
        return NAV_PAGES[path]
    return next((section for prefix, section in NAV_SECTIONS if path.startswith(prefix)), "")


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "signup_mode": settings.SIGNUP,
        "nav_section": nav_section(request.path),
    }
