from districtwiki.content import loader
from districtwiki.content.models import StarterPage
from districtwiki.wiki import actions
from districtwiki.wiki.models import FileUpload, Page, Revision


def test_first_load_creates_pages_as_the_system_author(shipped, db):
    shipped("Backups", "Test your backups.")
    report = loader.load()
    assert report.created == ["Backups"]
    page = Page.objects.get(title="Backups")
    assert page.latest.author_name == loader.SYSTEM_USERNAME
    assert StarterPage.objects.get(page=page).loaded_revision == page.latest


def test_loading_again_changes_nothing(shipped, db):
    shipped("Backups", "Test your backups.")
    loader.load()
    report = loader.load()
    assert not report.changed
    assert Revision.objects.count() == 1


def test_newer_shipped_text_updates_an_unedited_page(shipped, db):
    shipped("Backups", "Test your backups.")
    loader.load()
    shipped("Backups", "Test your backups every term.")
    report = loader.load()
    assert report.updated == ["Backups"]
    assert "every term" in Page.objects.get(title="Backups").latest.text


def test_newer_shipped_text_waits_beside_an_edited_page(shipped, alice):
    shipped("Backups", "Line one.\n\nLine two.\n\nLine three.")
    loader.load()
    page = Page.objects.get(title="Backups")
    edited = page.latest.text.replace("Line one.", "Line one, edited here.")
    actions.save_revision("Backups", edited, alice, page.latest_id)
    shipped("Backups", "Line one.\n\nLine two.\n\nLine three, improved upstream.")
    report = loader.load()
    assert report.pending == ["Backups"]
    page.refresh_from_db()
    assert "edited here" in page.latest.text
    assert "improved upstream" not in page.latest.text
    assert StarterPage.objects.get(page=page).has_update


def test_one_click_merge_keeps_both_changes(shipped, alice, alice_client):
    shipped("Backups", "Line one.\n\nLine two.\n\nLine three.")
    loader.load()
    page = Page.objects.get(title="Backups")
    actions.save_revision(
        "Backups", page.latest.text.replace("Line one.", "Line one, edited here."), alice, page.latest_id
    )
    shipped("Backups", "Line one.\n\nLine two.\n\nLine three, improved upstream.")
    loader.load()
    assert alice_client.get("/wiki/Backups").content.count(b"A newer version of this starter page") == 1
    assert b"improved upstream" in alice_client.get("/special/starter-update/Backups").content
    response = alice_client.post("/special/starter-update/Backups")
    assert response.status_code == 302
    text = Page.objects.get(title="Backups").latest.text
    assert "edited here" in text and "improved upstream" in text
    assert not StarterPage.objects.get(page=page).has_update


def test_merge_that_conflicts_is_409_and_saves_nothing(shipped, alice, alice_client):
    shipped("Backups", "Line one.")
    loader.load()
    page = Page.objects.get(title="Backups")
    actions.save_revision("Backups", page.latest.text.replace("Line one.", "Ours."), alice, page.latest_id)
    shipped("Backups", "Theirs.")
    loader.load()
    count = Revision.objects.count()
    response = alice_client.post("/special/starter-update/Backups")
    assert response.status_code == 409
    assert b"cannot be merged automatically" in response.content
    assert Revision.objects.count() == count


def test_starter_update_page_is_404_without_an_update(shipped, alice_client):
    shipped("Backups", "Text.")
    loader.load()
    assert alice_client.get("/special/starter-update/Backups").status_code == 404


def test_shipped_files_are_uploaded_once(shipped, db):
    (shipped.files / "Inventory.csv").write_text("tag,type\nA-1,laptop\n")
    assert loader.load().files == ["File:Inventory.csv"]
    assert loader.load().files == []
    assert FileUpload.objects.get().content_type == "text/csv; charset=utf-8"
