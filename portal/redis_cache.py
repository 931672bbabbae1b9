"""Django's Redis cache, with one Redis client per connection pool instead of one per command.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` object for every cache
operation, and redis-py's constructor copies its table of some hundred reply callbacks each
time: on an API sign-up (issue 11) the three cache operations (the page cache's version twice,
Wagtail's site root paths) spent more Python building clients than talking to Redis. A client
holds no connection of its own (its pool does) and may be shared between threads, so one per
pool is kept. Remove when Django reuses its clients itself."""

from django.core.cache.backends.redis import RedisCache as DjangosRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangosRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients
