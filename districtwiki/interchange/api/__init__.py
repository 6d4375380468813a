"""A MediaWiki-compatible Action API at /w/api.php, so that MediaWiki clients and bots (mwclient, scripts
written for api.php) work with districtwiki: the subset real clients use, in MediaWiki's own request and
response shapes, with every write going through the wiki core's actions.

views.py dispatches an action to its module: query.py (with pageset.py, props.py, list_pages.py,
list_changes.py and meta.py), parse.py, login.py, edit.py and manage.py (move, delete). errors.py and
failures.py give MediaWiki's error objects and codes; params.py reads parameters as MediaWiki does;
tokens.py makes and checks the csrf and login tokens.
"""
