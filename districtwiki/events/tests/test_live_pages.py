"""What a room page tells room.js, and what its Content-Security-Policy lets it connect to."""

import pytest

META = '<meta name="live-rooms-port" content="{}">'


@pytest.fixture
def topic_page(topic_room, alice, client):
    client.force_login(alice)
    return lambda: client.get(f"/events/rooms/{topic_room.slug}")


def test_room_page_names_the_live_rooms_port_and_allows_it(settings, topic_page):
    settings.WEBSOCKET_PORT = 8123
    response = topic_page()
    assert META.format(8123) in response.content.decode()
    connect = next(
        part for part in response["Content-Security-Policy"].split("; ") if part.startswith("connect-src")
    )
    assert connect == (
        "connect-src 'self' ws://127.0.0.1:8123 wss://127.0.0.1:8123 ws://localhost:8123 wss://localhost:8123"
        " ws://testserver:8123 wss://testserver:8123"
    )


def test_room_page_behind_a_proxy_connects_to_its_own_address(settings, topic_page):
    settings.WEBSOCKET_PORT = 0
    response = topic_page()
    assert META.format(0) in response.content.decode()
    assert "connect-src 'self';" in response["Content-Security-Policy"]


def test_room_page_without_a_live_rooms_server_stays_a_plain_page(settings, topic_page):
    settings.WEBSOCKET_PORT = None
    response = topic_page()
    assert 'name="live-rooms-port"' not in response.content.decode()
    assert "connect-src 'self';" in response["Content-Security-Policy"]
    assert 'id="message-form"' in response.content.decode()
