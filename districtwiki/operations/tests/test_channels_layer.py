"""The channel layer the live chat will use: on Redis (REDIS_URL) a message sent to a group by one app process
reaches a consumer in another; without Redis the in-memory layer serves one process only."""

import asyncio
import os
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import ChannelLayerManager, InMemoryChannelLayer
from django.conf import settings

RECEIVE_TIMEOUT = 5  # seconds

needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no Redis")
# A room's burst fits in a channel's queue (settings: capacity 500 messages, the channels default is 100).
IN_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 500}}}


def new_layer():
    """A layer built from settings.CHANNEL_LAYERS as a freshly started app process builds it."""
    return ChannelLayerManager()["default"]


def unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex}"  # other runs may share the Redis database


async def deliver(sender, receiver, group: str, message: dict) -> dict:
    """receiver joins `group` on a channel of its own; sender sends to the group; what the channel gets."""
    channel = await receiver.new_channel()
    await receiver.group_add(group, channel)
    try:
        await sender.group_send(group, message)
        return await asyncio.wait_for(receiver.receive(channel), RECEIVE_TIMEOUT)
    finally:
        await receiver.group_discard(group, channel)


async def nothing_arrives(layer, channel: str, wait: float = 0.5) -> bool:
    try:
        await asyncio.wait_for(layer.receive(channel), wait)
    except TimeoutError:
        return True
    return False


def test_the_layer_is_redis_exactly_when_redis_url_is_set():
    from channels_redis.core import RedisChannelLayer

    if os.environ.get("REDIS_URL"):
        assert isinstance(new_layer(), RedisChannelLayer)
        assert settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] == [os.environ["REDIS_URL"]]
    else:
        assert settings.CHANNEL_LAYERS == IN_MEMORY
        assert isinstance(new_layer(), InMemoryChannelLayer)


@needs_redis
def test_a_group_message_from_one_process_reaches_a_channel_in_another():
    process_a, process_b = new_layer(), new_layer()
    assert process_a is not process_b
    message = {"type": "chat.message", "text": "Budget hearing moved to Thursday", "room": 7}
    received = async_to_sync(deliver)(process_a, process_b, unique("event-7"), message)
    assert received == message


@needs_redis
def test_a_channel_that_left_the_group_gets_nothing_more():
    async def scenario():
        process_a, process_b = new_layer(), new_layer()
        group = unique("event-8")
        channel = await process_b.new_channel()
        await process_b.group_add(group, channel)
        await process_b.group_discard(group, channel)
        await process_a.group_send(group, {"type": "chat.message", "text": "hello?"})
        return await nothing_arrives(process_b, channel)

    assert async_to_sync(scenario)()


@pytest.fixture
def in_memory(settings):
    settings.CHANNEL_LAYERS = IN_MEMORY  # what a machine without REDIS_URL runs


def test_the_in_memory_layer_delivers_group_messages_within_one_process(in_memory):
    layer = new_layer()
    message = {"type": "chat.message", "text": "Welcome to the E-Rate office hour"}
    assert async_to_sync(deliver)(layer, layer, unique("event-1"), message) == message


def test_the_in_memory_layer_is_not_shared_between_processes(in_memory):
    """Why several app processes need REDIS_URL: each in-memory layer is an island."""

    async def scenario():
        process_a, process_b = new_layer(), new_layer()
        group = unique("event-2")
        channel = await process_b.new_channel()
        await process_b.group_add(group, channel)
        await process_a.group_send(group, {"type": "chat.message", "text": "anyone?"})
        return await nothing_arrives(process_b, channel)

    assert async_to_sync(scenario)()
