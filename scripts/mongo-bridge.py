#!/usr/bin/python3
"""Offline MongoDB test server: mockupdb speaks the wire protocol, mongomock stores the data.

Build machines have no MongoDB server and no internet, so a real ``mongod`` cannot be
downloaded.  Debian ships two pure-Python pieces that together are enough for the test
suite and for local runs:

* ``mockupdb`` (python3-mockupdb) parses OP_MSG / legacy OP_QUERY messages from real
  drivers and lets us send replies, but it has no storage and no query engine;
* ``mongomock`` (python3-mongomock) is an in-process imitation of pymongo's API with a
  query/update/aggregation engine, but it has no network protocol.

This script glues them: every command received by mockupdb is translated into calls on
one shared ``mongomock.MongoClient`` and the result is shaped like a MongoDB 7.0
standalone ``mongod`` reply, so the Node.js driver (and mongoose on top of it) can use it.

Usage::

    /usr/bin/python3 scripts/mongo-bridge.py [--port N] [--host 127.0.0.1] [--verbose]

When ready it prints exactly one line ``LISTENING <port>`` on stdout.  It exits on
SIGTERM/SIGINT and when stdin reaches EOF (the parent keeps a pipe open; if the parent
dies the pipe closes and the bridge follows instead of lingering).  Use
``--ignore-stdin`` to run it detached, e.g. with stdin redirected from /dev/null.

Data lives in memory only and disappears when the process exits.

Must run with Debian's interpreter (/usr/bin/python3): the packages are installed for it
only.  Known limitations are listed in the ``Bridge`` docstring.
"""

import argparse
import datetime
import itertools
import json
import os
import random
import signal
import struct
import sys
import threading
import time
import traceback
import uuid
from collections import OrderedDict

try:
    import bson
    import mockupdb
    import mongomock
    from bson.binary import Binary, UuidRepresentation
    from bson.codec_options import CodecOptions
    from bson.decimal128 import Decimal128
    from bson.int64 import Int64
    from bson.objectid import ObjectId
    from mongomock import filtering, helpers
    from mongomock.collection import Collection
    from mongomock.filtering import filter_applies
except ImportError as import_error:  # pragma: no cover - depends on the machine
    sys.stderr.write(
        'mongo-bridge: cannot import mongomock/mockupdb (%s).\n'
        'Install them with: apt-get install python3-mongomock python3-mockupdb\n'
        'and run this script with /usr/bin/python3 (the Debian interpreter).\n' % import_error)
    sys.stderr.flush()
    sys.exit(3)


# --------------------------------------------------------------------------------------
# What we pretend to be
# --------------------------------------------------------------------------------------

SERVER_VERSION = '7.0.0'
SERVER_VERSION_ARRAY = [7, 0, 0, 0]
# MongoDB 7.0 speaks wire version 21; driver 7.0 needs at least 8 (MongoDB 4.2).
MAX_WIRE_VERSION = 21
MIN_WIRE_VERSION = 0
MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024
MAX_MESSAGE_SIZE_BYTES = 48000000
MAX_WRITE_BATCH_SIZE = 100000
LOGICAL_SESSION_TIMEOUT_MINUTES = 30

# mongod's defaults: 101 documents in a first batch, and no batch above 16 MiB.
DEFAULT_FIRST_BATCH_SIZE = 101
MAX_BATCH_BYTES = MAX_BSON_OBJECT_SIZE
# mongod reaps idle cursors after 10 minutes; without it abandoned cursors leak memory.
CURSOR_IDLE_TIMEOUT_SECONDS = 600

TRANSACTION_ERRMSG = 'Transaction numbers are only allowed on a replica set member or mongos'

# UNSPECIFIED keeps every binary subtype (3 and 4 included) as a Binary object, so UUIDs
# written by the Node driver (subtype 4) come back byte-for-byte identical.
CODEC_OPTIONS = CodecOptions(
    document_class=OrderedDict, uuid_representation=UuidRepresentation.UNSPECIFIED)
# mockupdb decodes requests with its module-level options, looked up at call time.
mockupdb.CODEC_OPTIONS = CODEC_OPTIONS

OP_MSG_MORE_TO_COME = mockupdb.OP_MSG_FLAGS['moreToCome']

# codeName values drivers look at (mongoose checks codeName == 'NamespaceNotFound').
CODE_NAMES = {
    1: 'InternalError',
    2: 'BadValue',
    9: 'FailedToParse',
    14: 'TypeMismatch',
    20: 'IllegalOperation',
    26: 'NamespaceNotFound',
    27: 'IndexNotFound',
    43: 'CursorNotFound',
    48: 'NamespaceExists',
    59: 'CommandNotFound',
    66: 'ImmutableField',
    72: 'InvalidOptions',
    73: 'InvalidNamespace',
    76: 'NoReplicationEnabled',
    85: 'IndexOptionsConflict',
    86: 'IndexKeySpecsConflict',
    238: 'NotImplemented',
    11000: 'DuplicateKey',
}

UNSUPPORTED_HINT = 'not supported by the offline test server (mongomock + mockupdb bridge)'


class CommandError(Exception):
    """A failure that must reach the client as an ``ok: 0`` reply or a write error."""

    def __init__(self, code, message, **extra):
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra

    def to_reply(self):
        reply = OrderedDict(ok=0.0, errmsg=self.message, code=self.code)
        reply['codeName'] = CODE_NAMES.get(self.code, 'UnknownError')
        reply.update(self.extra)
        return reply


def unsupported(what):
    return CommandError(238, '%s is %s' % (what, UNSUPPORTED_HINT))


# --------------------------------------------------------------------------------------
# mongomock adjustments
# --------------------------------------------------------------------------------------

def _ensure_uniques_reporting_key(self, new_data):
    """Replacement for ``Collection._ensure_uniques`` that says which index was violated.

    mongomock raises a bare ``E11000 Duplicate Key Error``; mongoose and the app read
    ``keyPattern``/``keyValue`` to tell users which field is taken.  Same algorithm as the
    original (the new document is already stored, so more than one hit is a duplicate),
    minus its crash on unhashable key values.
    """
    for index_name, index in self._store.indexes.items():
        if not index.get('unique'):
            continue
        key_fields = index.get('key')
        partial_filter = index.get('partialFilterExpression')
        if partial_filter is not None and not filter_applies(partial_filter, new_data):
            continue
        key_value = OrderedDict()
        for field, _ in key_fields:
            try:
                key_value[field] = helpers.get_value_by_dot(new_data, field)
            except KeyError:
                key_value[field] = None
        if index.get('sparse') and all(value is None for value in key_value.values()):
            continue
        query = dict(key_value)
        if partial_filter is not None:
            query = {'$and': [partial_filter, query]}
        if len(list(self._iter_documents(query))) > 1:
            message = duplicate_key_message(self.full_name, index_name, key_value)
            raise mongomock.DuplicateKeyError(message, 11000, {
                'errmsg': message, 'keyPattern': OrderedDict(key_fields), 'keyValue': key_value})


def _as_comparable_number(value):
    return value.to_decimal() if isinstance(value, Decimal128) else value


def _patch_decimal128_ordering():
    """Let filters and sorts compare Decimal128 like other numbers.

    mongomock raises NotImplementedError on any ordering of Decimal128 values.  Its
    comparison helpers are looked up as module globals, so wrapping them is enough.
    """
    original_compare_type = filtering._get_compare_type
    original_bson_compare = filtering.bson_compare

    def get_compare_type(value):
        if isinstance(value, Decimal128):
            return original_compare_type(0)
        return original_compare_type(value)

    def bson_compare(op, a, b, can_compare_types=True):
        return original_bson_compare(
            op, _as_comparable_number(a), _as_comparable_number(b), can_compare_types)

    filtering._get_compare_type = get_compare_type
    filtering.bson_compare = bson_compare


def _short_repr(self):
    return '<%s>' % type(self).__name__


def _patch_mockupdb_reprs():
    """Cheap reprs for mockupdb's requests and replies.

    mockupdb formats every request and every reply for its log -- a JSON dump of the whole
    document -- before it checks whether logging is on, and here it never is.  Measured on
    the test suite, that formatting took a fifth of the bridge's time (more for the large
    documents a filing grows into).  Nothing else reads those strings.
    """
    for cls in vars(mockupdb).values():
        if (isinstance(cls, type) and issubclass(cls, (mockupdb.Request, mockupdb.Reply))
                and '__repr__' in vars(cls)):
            cls.__repr__ = _short_repr


def apply_mongomock_patches():
    Collection._ensure_uniques = _ensure_uniques_reporting_key
    _patch_decimal128_ordering()
    _patch_mockupdb_reprs()


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------

def render_value(value):
    """Render a value the way mongod prints it inside ``dup key: { ... }``."""
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, ObjectId):
        return "ObjectId('%s')" % value
    if isinstance(value, datetime.datetime):
        return 'new Date(%d)' % bson_datetime_millis(value)
    if isinstance(value, dict):
        if not value:
            return '{}'
        return '{ %s }' % ', '.join('%s: %s' % (k, render_value(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return '[ %s ]' % ', '.join(render_value(v) for v in value)
    return str(value)


def bson_datetime_millis(value):
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return int((value - datetime.datetime(1970, 1, 1)).total_seconds() * 1000)


def duplicate_key_message(namespace, index_name, key_value):
    return 'E11000 duplicate key error collection: %s index: %s dup key: %s' % (
        namespace, index_name, render_value(key_value))


def utc_now():
    # Naive UTC is what BSON dates decode to; mixing aware and naive values breaks mongomock.
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def sort_list(sort_spec):
    """``{a: 1, b: -1}`` -> ``[('a', 1), ('b', -1)]`` as mongomock expects; ``{}`` -> None."""
    if not sort_spec:
        return None
    result = []
    for field, direction in sort_spec.items():
        if isinstance(direction, dict):
            raise unsupported('sorting by %s' % render_value(direction))
        if direction not in (1, -1):
            raise CommandError(
                2, '$sort key ordering must be 1 (for ascending) or -1 (for descending)')
        result.append((field, int(direction)))
    return result


def projection_or_none(projection):
    # mongomock reads an empty projection as "only _id"; mongod reads it as "everything".
    return projection or None


def natural_int(value, field):
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CommandError(14, "BSON field '%s' is the wrong type, expected a number" % field)
    return int(value)


def is_operator_update(update):
    return isinstance(update, dict) and bool(update) and next(iter(update)).startswith('$')


def id_first(document):
    # mongod stores _id as the first field; drivers append a generated _id at the end.
    if isinstance(document, dict) and '_id' in document and next(iter(document)) != '_id':
        reordered = OrderedDict(_id=document['_id'])
        reordered.update((k, v) for k, v in document.items() if k != '_id')
        return reordered
    return document


def bson_size(document):
    return len(bson.BSON.encode(document, codec_options=CODEC_OPTIONS))


def with_id(query, doc_id):
    """Narrow ``query`` to one document while keeping its fields for positional ``$`` updates."""
    if '_id' not in query:
        narrowed = OrderedDict(query)
        narrowed['_id'] = doc_id
        return narrowed
    return {'$and': [query, {'_id': doc_id}]}


# --------------------------------------------------------------------------------------
# Cursors
# --------------------------------------------------------------------------------------

class _OpenCursor(object):
    __slots__ = ('namespace', 'documents', 'position', 'last_used')

    def __init__(self, namespace, documents):
        self.namespace = namespace
        self.documents = documents
        self.position = 0
        self.last_used = time.monotonic()


class CursorRegistry(object):
    """Server-side cursors over fully materialised results.

    mongomock computes every result eagerly, so a cursor is just the remaining slice of a
    list.  Batches follow mongod's rules so the driver really exercises getMore.
    """

    def __init__(self):
        self._cursors = {}
        self._random = random.SystemRandom()

    def open(self, namespace, documents, batch_size=None, single_batch=False):
        self._reap_idle()
        if batch_size is None:
            batch_size = DEFAULT_FIRST_BATCH_SIZE
        cursor = _OpenCursor(namespace, documents)
        batch = self._take(cursor, batch_size)
        cursor_id = 0
        if not single_batch and cursor.position < len(documents):
            cursor_id = self._new_id()
            self._cursors[cursor_id] = cursor
        return self._reply(cursor_id, namespace, 'firstBatch', batch)

    def get_more(self, cursor_id, namespace, batch_size=None):
        cursor = self._cursors.get(cursor_id)
        if cursor is None or cursor.namespace != namespace:
            raise CommandError(43, 'cursor id %d not found' % cursor_id)
        cursor.last_used = time.monotonic()
        batch = self._take(cursor, batch_size or None)
        if cursor.position >= len(cursor.documents):
            del self._cursors[cursor_id]
            cursor_id = 0
        return self._reply(cursor_id, namespace, 'nextBatch', batch)

    def kill(self, cursor_ids):
        killed, not_found = [], []
        for cursor_id in cursor_ids:
            if self._cursors.pop(int(cursor_id), None) is None:
                not_found.append(Int64(cursor_id))
            else:
                killed.append(Int64(cursor_id))
        return killed, not_found

    @staticmethod
    def _take(cursor, max_count):
        batch, batch_bytes = [], 0
        documents = cursor.documents
        while cursor.position < len(documents):
            if max_count is not None and len(batch) >= max_count:
                break
            document = documents[cursor.position]
            size = bson_size(document)
            # Like mongod, a single oversized document still goes out alone.
            if batch and batch_bytes + size > MAX_BATCH_BYTES:
                break
            batch.append(document)
            batch_bytes += size
            cursor.position += 1
        return batch

    @staticmethod
    def _reply(cursor_id, namespace, batch_field, batch):
        cursor = OrderedDict()
        cursor[batch_field] = batch
        cursor['id'] = Int64(cursor_id)
        cursor['ns'] = namespace
        return OrderedDict(cursor=cursor)

    def _new_id(self):
        while True:
            cursor_id = self._random.randint(1, 2 ** 62)
            if cursor_id not in self._cursors:
                return cursor_id

    def _reap_idle(self):
        deadline = time.monotonic() - CURSOR_IDLE_TIMEOUT_SECONDS
        for cursor_id in [cid for cid, c in self._cursors.items() if c.last_used < deadline]:
            del self._cursors[cursor_id]


# --------------------------------------------------------------------------------------
# Command execution
# --------------------------------------------------------------------------------------

class CommandContext(object):
    __slots__ = ('command', 'name', 'db_name', 'connection_id')

    def __init__(self, command, name, db_name, connection_id):
        self.command = command
        self.name = name
        self.db_name = db_name
        self.connection_id = connection_id

    def get(self, field, default=None):
        return self.command.get(field, default)

    def namespace(self, collection_name):
        return '%s.%s' % (self.db_name, collection_name)


class Bridge(object):
    """Executes MongoDB commands against a mongomock client, mongod-style.

    Supported: hello/isMaster handshake, ping, buildInfo, getParameter, getCmdLineOpts,
    serverStatus (minimal), whatsmyuri, connectionStatus, getLog, insert, find, getMore,
    killCursors, update, delete, findAndModify, aggregate, count, distinct, createIndexes,
    listIndexes, dropIndexes, create, drop, dropDatabase, listCollections, listDatabases,
    renameCollection (same database) and the session housekeeping commands.  Everything
    else gets ``CommandNotFound`` (59).

    Deliberate limitations (mongomock has no engine for them): transactions (rejected
    like a standalone mongod does), aggregation-pipeline updates, arrayFilters,
    collation, $text/$geo queries, views, change streams, explain, and the aggregation
    stages mongomock lacks ($merge, $bucketAuto, $redact, $geoNear, ...).
    """

    def __init__(self, client, argv, verbose=False):
        self._client = client
        self._argv = argv
        self._verbose = verbose
        self._cursors = CursorRegistry()
        self._started = time.monotonic()
        self._handlers = {}
        for attribute in dir(self):
            if attribute.startswith('cmd_'):
                self._handlers[attribute[4:].lower()] = getattr(self, attribute)
        for alias, target in (('ismaster', 'hello'), ('deleteindexes', 'dropindexes')):
            self._handlers[alias] = self._handlers[target]

    # -- entry point -------------------------------------------------------------------

    def execute(self, command, db_name, connection_id):
        """Run one command document; never raises, failures become ``ok: 0`` replies."""
        started = time.monotonic()
        name = next(iter(command), '') if command else ''
        try:
            if not name:
                raise CommandError(59, 'empty command document')
            if command.get('startTransaction') or command.get('autocommit') is False \
                    or name in ('commitTransaction', 'abortTransaction'):
                raise CommandError(20, TRANSACTION_ERRMSG)
            handler = self._handlers.get(name.lower())
            if handler is None:
                raise CommandError(
                    59, "no such command: '%s' (%s)" % (name, UNSUPPORTED_HINT))
            reply = handler(CommandContext(command, name, db_name, connection_id))
            reply['ok'] = 1.0
        except Exception as error:  # every failure must become a reply, never a crash
            reply = translate_exception(error).to_reply()
        if self._verbose:
            sys.stderr.write('mongo-bridge: %s.%s ok=%s %.1fms\n' % (
                db_name, name, reply.get('ok'), (time.monotonic() - started) * 1000))
        return reply

    # -- handshake and server information ---------------------------------------------

    def cmd_hello(self, ctx):
        reply = OrderedDict()
        if ctx.name.lower() == 'ismaster':
            reply['ismaster'] = True
        reply['helloOk'] = True
        reply['isWritablePrimary'] = True
        # No topologyVersion: the driver then polls instead of using streaming monitoring,
        # which would need awaitable hello support.
        reply['maxBsonObjectSize'] = MAX_BSON_OBJECT_SIZE
        reply['maxMessageSizeBytes'] = MAX_MESSAGE_SIZE_BYTES
        reply['maxWriteBatchSize'] = MAX_WRITE_BATCH_SIZE
        reply['localTime'] = utc_now()
        reply['logicalSessionTimeoutMinutes'] = LOGICAL_SESSION_TIMEOUT_MINUTES
        reply['connectionId'] = ctx.connection_id
        reply['minWireVersion'] = MIN_WIRE_VERSION
        reply['maxWireVersion'] = MAX_WIRE_VERSION
        reply['readOnly'] = False
        return reply

    def cmd_ping(self, ctx):
        return OrderedDict()

    def cmd_buildInfo(self, ctx):
        return OrderedDict([
            ('version', SERVER_VERSION),
            ('gitVersion', 'mongomock-bridge'),
            ('modules', []),
            ('allocator', 'system'),
            ('javascriptEngine', 'none'),
            ('sysInfo', 'deprecated'),
            ('versionArray', SERVER_VERSION_ARRAY),
            ('bits', 64),
            ('debug', False),
            ('maxBsonObjectSize', MAX_BSON_OBJECT_SIZE),
            ('storageEngines', ['mongomock']),
            ('offlineBridge', 'mongomock %s via mockupdb %s' % (
                mongomock.__version__, mockupdb.__version__)),
        ])

    def cmd_getParameter(self, ctx):
        known = OrderedDict([
            ('featureCompatibilityVersion', OrderedDict(version='7.0')),
            ('authenticationMechanisms', []),
            ('maxBSONObjectSize', MAX_BSON_OBJECT_SIZE),
        ])
        if ctx.get('getParameter') in ('*', {'allParameters': True}):
            return known
        return OrderedDict((k, v) for k, v in known.items() if k in ctx.command)

    def cmd_getCmdLineOpts(self, ctx):
        return OrderedDict(argv=list(self._argv), parsed=OrderedDict())

    def cmd_whatsmyuri(self, ctx):
        return OrderedDict(you='127.0.0.1:0')

    def cmd_connectionStatus(self, ctx):
        return OrderedDict(authInfo=OrderedDict(
            authenticatedUsers=[], authenticatedUserRoles=[]))

    def cmd_serverStatus(self, ctx):
        uptime = time.monotonic() - self._started
        return OrderedDict([
            ('host', 'mongo-bridge'), ('version', SERVER_VERSION), ('process', 'mongod'),
            ('pid', Int64(os.getpid())), ('uptime', float(int(uptime))),
            ('uptimeMillis', Int64(int(uptime * 1000))), ('localTime', utc_now()),
        ])

    def cmd_getLog(self, ctx):
        return OrderedDict(totalLinesWritten=0, log=[])

    def cmd_replSetGetStatus(self, ctx):
        raise CommandError(76, 'not running with --replSet')

    def _sessions_noop(self, ctx):
        # Sessions only carry lsid, which we ignore; the driver still ends them politely.
        return OrderedDict()

    cmd_endSessions = cmd_killAllSessions = cmd_killSessions = _sessions_noop
    cmd_refreshSessions = cmd_killAllSessionsByPattern = _sessions_noop

    # -- collection access -------------------------------------------------------------

    def _db(self, ctx):
        return self._client[ctx.db_name]

    def _collection_name(self, ctx, field):
        name = ctx.get(field)
        if not isinstance(name, str) or not name:
            raise CommandError(
                73, "collection name must be a non-empty string, got %r in '%s'" % (name, field))
        return name

    def _collection(self, ctx, field=None):
        return self._db(ctx)[self._collection_name(ctx, field or ctx.name)]

    def _exists(self, ctx, collection_name):
        return collection_name in self._db(ctx).list_collection_names()

    # -- writes ------------------------------------------------------------------------

    def cmd_insert(self, ctx):
        collection = self._collection(ctx)
        ordered = ctx.get('ordered', True)
        inserted, write_errors = 0, []
        for index, document in enumerate(ctx.get('documents') or []):
            try:
                collection.insert_one(id_first(document))
                inserted += 1
            except Exception as error:
                write_errors.append(
                    write_error(index, error, document, collection.full_name))
                if ordered:
                    break
        reply = OrderedDict(n=inserted)
        if write_errors:
            reply['writeErrors'] = write_errors
        return reply

    def cmd_update(self, ctx):
        collection = self._collection(ctx)
        ordered = ctx.get('ordered', True)
        matched, modified, upserted, write_errors = 0, 0, [], []
        for index, statement in enumerate(ctx.get('updates') or []):
            try:
                result = self._run_update(collection, statement)
            except Exception as error:
                write_errors.append(write_error(index, error, namespace=collection.full_name))
                if ordered:
                    break
                continue
            matched += result['n']
            modified += result['nModified']
            if result.get('upserted') is not None:
                upserted.append(OrderedDict([('index', index), ('_id', result['upserted'])]))
        reply = OrderedDict([('n', matched), ('nModified', modified)])
        if upserted:
            reply['upserted'] = upserted
        if write_errors:
            reply['writeErrors'] = write_errors
        return reply

    def _run_update(self, collection, statement):
        query = statement.get('q') or OrderedDict()
        update = statement.get('u')
        multi = bool(statement.get('multi'))
        upsert = bool(statement.get('upsert'))
        check_update_document(update, statement)
        if not multi:
            return self._update_one(collection, query, update, upsert)
        if not is_operator_update(update):
            raise CommandError(9, 'multi update is not supported for replacement-style update')
        ids = [doc['_id'] for doc in collection.find(query, {'_id': 1})]
        if not ids:
            return self._update_one(collection, query, update, upsert)
        total = {'n': 0, 'nModified': 0}
        for doc_id in ids:
            result = self._update_one(collection, with_id(query, doc_id), update, False)
            total['n'] += result['n']
            total['nModified'] += result['nModified']
        return total

    def _update_one(self, collection, query, update, upsert):
        """Update at most one document, all-or-nothing.

        mongomock edits the stored document in place and only rolls back on duplicate
        keys, so an operator failing half-way (e.g. $inc on a string) would leave a
        half-updated document.  mongod never does that, so we snapshot and restore.
        """
        before = collection.find_one(query)
        try:
            if is_operator_update(update):
                result = collection.update_one(query, update, upsert=upsert)
            else:
                result = collection.replace_one(query, update, upsert=upsert)
        except Exception:
            if before is not None:
                collection.replace_one({'_id': before['_id']}, before)
            raise
        raw = result.raw_result
        return {'n': raw['n'], 'nModified': raw['nModified'], 'upserted': raw.get('upserted')}

    def cmd_delete(self, ctx):
        collection = self._collection(ctx)
        ordered = ctx.get('ordered', True)
        deleted, write_errors = 0, []
        for index, statement in enumerate(ctx.get('deletes') or []):
            try:
                if statement.get('collation'):
                    raise unsupported('collation')
                query = statement.get('q') or OrderedDict()
                if statement.get('limit', 0) == 1:
                    deleted += collection.delete_one(query).deleted_count
                else:
                    deleted += collection.delete_many(query).deleted_count
            except Exception as error:
                write_errors.append(write_error(index, error))
                if ordered:
                    break
        reply = OrderedDict(n=deleted)
        if write_errors:
            reply['writeErrors'] = write_errors
        return reply

    def cmd_findAndModify(self, ctx):
        collection = self._collection(ctx)
        query = ctx.get('query') or OrderedDict()
        sort = sort_list(ctx.get('sort'))
        projection = projection_or_none(ctx.get('fields') or ctx.get('projection'))
        remove = bool(ctx.get('remove'))
        update = ctx.get('update')
        return_new = bool(ctx.get('new'))
        upsert = bool(ctx.get('upsert'))
        if ctx.get('collation'):
            raise unsupported('collation')
        if remove and (update is not None or return_new or upsert):
            raise CommandError(9, 'Cannot specify both an update and remove=true')
        if not remove:
            check_update_document(update, ctx.command)

        matches = list(collection.find(query, sort=sort, limit=1))
        target_id = matches[0]['_id'] if matches else None
        old_value = collection.find_one({'_id': target_id}, projection) if matches else None
        last_error = OrderedDict()

        if remove:
            if matches:
                collection.delete_one({'_id': target_id})
            last_error['n'] = len(matches)
            return OrderedDict([('lastErrorObject', last_error), ('value', old_value)])

        if matches:
            self._update_one(collection, with_id(query, target_id), update, False)
            last_error['n'] = 1
            last_error['updatedExisting'] = True
        elif upsert:
            result = self._update_one(collection, query, update, True)
            target_id = result['upserted']
            last_error['n'] = 1
            last_error['updatedExisting'] = False
            last_error['upserted'] = target_id
        else:
            last_error['n'] = 0
            last_error['updatedExisting'] = False

        if return_new and target_id is not None:
            value = collection.find_one({'_id': target_id}, projection)
        else:
            value = old_value
        return OrderedDict([('lastErrorObject', last_error), ('value', value)])

    # -- reads -------------------------------------------------------------------------

    def cmd_find(self, ctx):
        collection_name = self._collection_name(ctx, 'find')
        collection = self._db(ctx)[collection_name]
        for option in ('tailable', 'awaitData', 'returnKey', 'showRecordId', 'collation',
                       'min', 'max'):
            if ctx.get(option):
                raise unsupported("find option '%s'" % option)
        documents = list(collection.find(
            ctx.get('filter') or OrderedDict(),
            projection=projection_or_none(ctx.get('projection')),
            sort=sort_list(ctx.get('sort')),
            skip=natural_int(ctx.get('skip'), 'skip'),
            limit=abs(natural_int(ctx.get('limit'), 'limit'))))
        return self._cursors.open(
            ctx.namespace(collection_name), documents,
            batch_size=ctx.get('batchSize'), single_batch=bool(ctx.get('singleBatch')))

    def cmd_getMore(self, ctx):
        cursor_id = int(ctx.get('getMore'))
        collection_name = self._collection_name(ctx, 'collection')
        return self._cursors.get_more(
            cursor_id, ctx.namespace(collection_name), ctx.get('batchSize'))

    def cmd_killCursors(self, ctx):
        killed, not_found = self._cursors.kill(ctx.get('cursors') or [])
        return OrderedDict([
            ('cursorsKilled', killed), ('cursorsNotFound', not_found),
            ('cursorsAlive', []), ('cursorsUnknown', []),
        ])

    def cmd_aggregate(self, ctx):
        target = ctx.get('aggregate')
        if not isinstance(target, str):
            raise unsupported('database-level aggregate (aggregate: 1)')
        if ctx.get('explain'):
            raise unsupported('explain')
        if ctx.get('collation'):
            raise unsupported('collation')
        cursor_options = ctx.get('cursor')
        if not isinstance(cursor_options, dict):
            raise CommandError(9, "The 'cursor' option is required, except for aggregate "
                                  "with the explain argument")
        pipeline = rewrite_pipeline(ctx.get('pipeline') or [])
        documents = list(self._collection(ctx).aggregate(pipeline))
        return self._cursors.open(
            ctx.namespace(target), documents, batch_size=cursor_options.get('batchSize'))

    def cmd_count(self, ctx):
        collection = self._collection(ctx)
        total = len(list(collection.find(ctx.get('query') or OrderedDict(), {'_id': 1})))
        total = max(total - natural_int(ctx.get('skip'), 'skip'), 0)
        limit = abs(natural_int(ctx.get('limit'), 'limit'))
        return OrderedDict(n=min(total, limit) if limit else total)

    def cmd_distinct(self, ctx):
        key = ctx.get('key')
        if not isinstance(key, str):
            raise CommandError(14, "BSON field 'distinct.key' must be a string")
        values = self._collection(ctx).distinct(key, ctx.get('query') or OrderedDict())
        return OrderedDict(values=values)

    # -- indexes -----------------------------------------------------------------------

    def cmd_createIndexes(self, ctx):
        collection_name = self._collection_name(ctx, 'createIndexes')
        collection = self._db(ctx)[collection_name]
        existed = self._exists(ctx, collection_name)
        before = len(list(collection.list_indexes())) if existed else 1
        for spec in ctx.get('indexes') or []:
            self._create_index(ctx, collection, spec)
        after = len(list(collection.list_indexes()))
        reply = OrderedDict([
            ('numIndexesBefore', before), ('numIndexesAfter', after),
            ('createdCollectionAutomatically', not existed),
        ])
        if before == after:
            reply['note'] = 'all indexes already exist'
        return reply

    def _create_index(self, ctx, collection, spec):
        key = spec.get('key')
        if not isinstance(key, dict) or not key:
            raise CommandError(9, "index specification must have a non-empty 'key' document")
        key_list = list(key.items())
        name = spec.get('name') or helpers.gen_index_name(key_list)
        if key_list == [('_id', 1)]:
            return
        for existing in collection.list_indexes():
            if existing['name'] != name and list(existing['key'].items()) == key_list:
                raise CommandError(
                    85, 'Index already exists with a different name: %s' % existing['name'])
        if spec.get('collation'):
            raise unsupported('index collation')
        options = {'name': name}
        for option in ('unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds'):
            if spec.get(option) not in (None, False):
                options[option] = spec[option]
        try:
            collection.create_index(key_list, **options)
        except mongomock.DuplicateKeyError:
            raise CommandError(11000, 'Index build failed: E11000 duplicate key error '
                               'collection: %s index: %s (existing documents violate the '
                               'unique constraint)' % (collection.full_name, name))
        except mongomock.OperationFailure as error:
            raise CommandError(86, error_message(error))

    def cmd_listIndexes(self, ctx):
        collection_name = self._collection_name(ctx, 'listIndexes')
        if not self._exists(ctx, collection_name):
            raise CommandError(26, 'ns does not exist: %s' % ctx.namespace(collection_name))
        indexes = []
        for info in self._db(ctx)[collection_name].list_indexes():
            index = OrderedDict([('v', 2), ('key', OrderedDict(info['key'].items())),
                                 ('name', info['name'])])
            for option in ('unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds'):
                if option in info:
                    index[option] = info[option]
            indexes.append(index)
        cursor_options = ctx.get('cursor') or {}
        return self._cursors.open(
            ctx.namespace(collection_name), indexes, batch_size=cursor_options.get('batchSize'))

    def cmd_dropIndexes(self, ctx):
        collection_name = self._collection_name(ctx, ctx.name)
        if not self._exists(ctx, collection_name):
            raise CommandError(26, 'ns not found %s' % ctx.namespace(collection_name))
        collection = self._db(ctx)[collection_name]
        existing = list(collection.list_indexes())
        target = ctx.get('index')
        if target == '*':
            collection.drop_indexes()
        else:
            names = target if isinstance(target, list) else [target]
            for entry in names:
                collection.drop_index(self._index_name(collection_name, existing, entry))
        return OrderedDict(nIndexesWas=len(existing))

    @staticmethod
    def _index_name(collection_name, existing, entry):
        if isinstance(entry, dict):
            for info in existing:
                if list(info['key'].items()) == list(entry.items()):
                    entry = info['name']
                    break
            else:
                raise CommandError(27, "can't find index with key: %s" % render_value(entry))
        if entry == '_id_':
            raise CommandError(72, 'cannot drop _id index')
        if entry not in [info['name'] for info in existing]:
            raise CommandError(27, 'index not found with name [%s]' % entry)
        return entry

    # -- collections and databases -----------------------------------------------------

    def cmd_create(self, ctx):
        collection_name = self._collection_name(ctx, 'create')
        if ctx.get('viewOn') is not None:
            raise unsupported('views (create with viewOn)')
        if self._exists(ctx, collection_name):
            raise CommandError(48, 'Collection %s already exists.' % ctx.namespace(collection_name))
        # Options (validator, capped, collation, ...) are accepted but not enforced.
        self._db(ctx).create_collection(collection_name)
        return OrderedDict()

    def cmd_drop(self, ctx):
        collection_name = self._collection_name(ctx, 'drop')
        if not self._exists(ctx, collection_name):
            raise CommandError(26, 'ns not found')
        indexes = len(list(self._db(ctx)[collection_name].list_indexes()))
        self._db(ctx).drop_collection(collection_name)
        return OrderedDict([('nIndexesWas', indexes), ('ns', ctx.namespace(collection_name))])

    def cmd_dropDatabase(self, ctx):
        self._client.drop_database(ctx.db_name)
        return OrderedDict(dropped=ctx.db_name)

    def cmd_renameCollection(self, ctx):
        source, target = ctx.get('renameCollection'), ctx.get('to')
        if not isinstance(source, str) or not isinstance(target, str) \
                or '.' not in source or '.' not in target:
            raise CommandError(73, 'renameCollection needs full namespaces (db.collection)')
        source_db, source_name = source.split('.', 1)
        target_db, target_name = target.split('.', 1)
        if source_db != target_db:
            raise unsupported('renaming a collection across databases')
        database = self._client[source_db]
        if source_name not in database.list_collection_names():
            raise CommandError(26, 'Source collection %s does not exist' % source)
        if target_name in database.list_collection_names():
            if not ctx.get('dropTarget'):
                raise CommandError(48, 'target namespace exists')
            database.drop_collection(target_name)
        database.rename_collection(source_name, target_name)
        return OrderedDict()

    def cmd_listCollections(self, ctx):
        name_filter = ctx.get('filter') or OrderedDict()
        entries = []
        for name in sorted(self._db(ctx).list_collection_names()):
            if ctx.get('nameOnly'):
                entry = OrderedDict([('name', name), ('type', 'collection')])
            else:
                entry = OrderedDict([
                    ('name', name), ('type', 'collection'), ('options', OrderedDict()),
                    ('info', OrderedDict([('readOnly', False),
                                          ('uuid', collection_uuid(ctx.namespace(name)))])),
                    ('idIndex', OrderedDict([('v', 2), ('key', OrderedDict(_id=1)),
                                             ('name', '_id_')])),
                ])
            if filter_applies(name_filter, entry):
                entries.append(entry)
        cursor_options = ctx.get('cursor') or {}
        return self._cursors.open(
            ctx.namespace('$cmd.listCollections'), entries,
            batch_size=cursor_options.get('batchSize'))

    def cmd_listDatabases(self, ctx):
        databases = []
        for name in sorted(self._client.list_database_names()):
            entry = OrderedDict(name=name)
            if not ctx.get('nameOnly'):
                entry['sizeOnDisk'] = Int64(0)
                entry['empty'] = False
            if filter_applies(ctx.get('filter') or OrderedDict(), entry):
                databases.append(entry)
        reply = OrderedDict(databases=databases)
        if not ctx.get('nameOnly'):
            reply['totalSize'] = Int64(0)
            reply['totalSizeMb'] = Int64(0)
        return reply


def collection_uuid(namespace):
    # Stable per namespace, so repeated listCollections calls agree with each other.
    return Binary(uuid.uuid5(uuid.NAMESPACE_URL, 'mongo-bridge:' + namespace).bytes, 4)


def check_update_document(update, statement):
    if isinstance(update, list):
        raise CommandError(238, 'aggregation-pipeline updates (update given as an array) are %s; '
                                'use update operators such as $set instead' % UNSUPPORTED_HINT)
    if not isinstance(update, dict):
        raise CommandError(9, 'update must be a document')
    for option in ('arrayFilters', 'collation'):
        if statement.get(option):
            raise unsupported(option)
    if is_operator_update(update):
        for field in update:
            if not field.startswith('$'):
                raise CommandError(9, "Unknown modifier: %s. Expected a valid update modifier "
                                      "or pipeline-style update" % field)


def rewrite_pipeline(pipeline):
    """Express stages mongomock lacks with equivalent ones it has."""
    rewritten = []
    for stage in pipeline:
        if not isinstance(stage, dict) or len(stage) != 1:
            raise CommandError(9, 'A pipeline stage specification object must contain '
                                  'exactly one field.')
        operator, argument = next(iter(stage.items()))
        if operator == '$unset':
            fields = [argument] if isinstance(argument, str) else list(argument)
            rewritten.append({'$project': OrderedDict((field, 0) for field in fields)})
        elif operator == '$replaceWith':
            rewritten.append({'$replaceRoot': {'newRoot': argument}})
        elif operator == '$sortByCount':
            rewritten.append({'$group': OrderedDict([('_id', argument),
                                                     ('count', {'$sum': 1})])})
            rewritten.append({'$sort': OrderedDict(count=-1)})
        elif operator == '$facet':
            rewritten.append({'$facet': OrderedDict(
                (name, rewrite_pipeline(sub)) for name, sub in argument.items())})
        else:
            rewritten.append(stage)
    return rewritten


def translate_exception(error, document=None, namespace='(unknown namespace)'):
    """Map mongomock/pymongo/Python exceptions to the error mongod would have sent."""
    if isinstance(error, CommandError):
        return error
    if isinstance(error, mongomock.DuplicateKeyError):
        details = error.details or {}
        if 'keyPattern' in details:
            return CommandError(11000, error_message(error), keyPattern=details['keyPattern'],
                                keyValue=details['keyValue'])
        # mongomock's only other duplicate source is the implicit _id index.
        extra = {'keyPattern': OrderedDict(_id=1)}
        message = 'E11000 duplicate key error (_id_ index)'
        if document is not None and '_id' in document:
            extra['keyValue'] = OrderedDict(_id=document['_id'])
            message = duplicate_key_message(namespace, '_id_', extra['keyValue'])
        return CommandError(11000, message, **extra)
    if isinstance(error, mongomock.OperationFailure):
        code = error.code if isinstance(error.code, int) and error.code in CODE_NAMES else 2
        return CommandError(code, error_message(error))
    if isinstance(error, mongomock.InvalidName):
        return CommandError(73, str(error))
    if isinstance(error, NotImplementedError):
        return CommandError(238, '%s (%s)' % (error, UNSUPPORTED_HINT))
    if isinstance(error, (TypeError, ValueError, KeyError, bson.errors.BSONError)):
        return CommandError(2, '%s: %s' % (type(error).__name__, error))
    sys.stderr.write('mongo-bridge: internal error\n%s' % traceback.format_exc())
    return CommandError(1, 'internal error in the offline test server: %s: %s'
                        % (type(error).__name__, error))


def error_message(error):
    # With details, pymongo's str() appends ", full error: {details}"; keep the plain text.
    details = getattr(error, 'details', None) or {}
    return details.get('errmsg') or str(error)


def write_error(index, error, document=None, namespace='(unknown namespace)'):
    translated = translate_exception(error, document, namespace)
    entry = OrderedDict([('index', index), ('code', translated.code)])
    entry.update(translated.extra)
    entry['errmsg'] = translated.message
    return entry


# --------------------------------------------------------------------------------------
# Wire protocol glue
# --------------------------------------------------------------------------------------

_reply_ids = itertools.count(1)


class _OpMsgReply(mockupdb.OpMsgReply):
    """OP_MSG reply encoded with our codec options (mockupdb's default rewrites UUIDs)."""

    def reply_bytes(self, request):
        payload = bson.BSON.encode(self.doc, codec_options=CODEC_OPTIONS)
        data = struct.pack('<I', 0) + b'\x00' + payload
        header = struct.pack('<iiii', 16 + len(data), next(_reply_ids),
                             request.request_id, mockupdb.OP_MSG)
        return header + data


class _OpReply(mockupdb.OpReply):
    """Legacy OP_REPLY, only used to answer an OP_QUERY handshake or refuse legacy opcodes."""

    def __init__(self, *args, **kwargs):
        self._reply_flags = kwargs.pop('reply_flags', 0)
        super().__init__(*args, **kwargs)

    def reply_bytes(self, request):
        documents = b''.join(bson.BSON.encode(doc, codec_options=CODEC_OPTIONS)
                             for doc in self.docs)
        data = struct.pack('<iqii', self._reply_flags, 0, 0, len(self.docs)) + documents
        header = struct.pack('<iiii', 16 + len(data), next(_reply_ids),
                             request.request_id, mockupdb.OP_REPLY)
        return header + data


class _UndecodableRequest(mockupdb.OpMsg):
    """Stands in for a message that could not be decoded, so that it can be answered."""

    decode_error = None


def _receive_request(client, server):
    """``mockupdb.mock_server_receive_request`` that survives undecodable messages.

    mockupdb lets a decoding error (e.g. a date outside Python's years 1-9999, which mongod
    accepts) kill the connection thread without closing the socket, and the driver then
    waits for a reply forever.  Here the message becomes a request we answer with an error.
    """
    header = mockupdb.mock_server_receive(client, 16)
    length, request_id, _, opcode = struct.unpack('<iiii', header)
    body = mockupdb.mock_server_receive(client, length - 16)
    try:
        if opcode not in mockupdb.OPCODES:
            raise ValueError('unsupported opcode %d' % opcode)
        return mockupdb.OPCODES[opcode].unpack(body, client, server, request_id)
    except Exception as error:
        flags = 0
        if opcode == mockupdb.OP_MSG and len(body) >= 4:
            flags = struct.unpack('<I', body[:4])[0]
        request = _UndecodableRequest(
            OrderedDict(undecodable=1), namespace='admin', flags=flags, _client=client,
            request_id=request_id, _server=server)
        request.decode_error = error
        return request


# mockupdb's connection loop looks this function up as a module global on every message.
mockupdb.mock_server_receive_request = _receive_request


class RequestHandler(object):
    """mockupdb autoresponder: serialises requests and hands commands to the Bridge.

    mockupdb serves each connection on its own thread; mongomock is not safe for
    concurrent use and the app relies on single-document atomicity (version-guarded
    updates), so all execution happens under one lock.
    """

    def __init__(self, bridge):
        self._bridge = bridge
        self._lock = threading.Lock()
        self._connection_ids = {}
        self._next_connection_id = itertools.count(1)

    def handle(self, request):
        try:
            self._handle(request)
        except Exception:
            sys.stderr.write('mongo-bridge: failed to answer a request\n%s'
                             % traceback.format_exc())
        # True tells mockupdb the request is handled; otherwise it would queue it forever.
        return True

    def _handle(self, request):
        if isinstance(request, _UndecodableRequest):
            if not request.flags & OP_MSG_MORE_TO_COME:
                request.replies(_OpMsgReply(CommandError(2, 'cannot decode the request: %s: %s' % (
                    type(request.decode_error).__name__, request.decode_error)).to_reply()))
        elif isinstance(request, (mockupdb.OpMsg, mockupdb.Command)):
            self._handle_command(request)
        elif isinstance(request, (mockupdb.OpQuery, mockupdb.OpGetMore)):
            error = OrderedDict([('$err', 'legacy opcodes are not supported; use OP_MSG'),
                                 ('code', 59)])
            request.replies(_OpReply(error, reply_flags=mockupdb.REPLY_FLAGS['QueryFailure']))
        # Legacy OP_INSERT/UPDATE/DELETE/KILL_CURSORS expect no reply; drivers no longer send them.

    def _handle_command(self, request):
        command = request.doc
        if isinstance(request, mockupdb.Command) and '$query' in command:
            command = command['$query']  # legacy OP_QUERY wraps commands with read preference
        db_name = request.doc.get('$db') or request.namespace or 'admin'
        with self._lock:
            reply = self._bridge.execute(command, db_name, self._connection_id(request))
        if isinstance(request, mockupdb.OpMsg) and request.flags & OP_MSG_MORE_TO_COME:
            return  # unacknowledged write (w: 0): the client reads no reply
        reply_class = _OpMsgReply if isinstance(request, mockupdb.OpMsg) else _OpReply
        try:
            request.replies(reply_class(reply))
        except OSError:
            pass  # client went away; mockupdb notices on its next read
        except Exception as error:
            # Encoding happens before any byte is sent, so an error reply can still follow.
            request.replies(reply_class(CommandError(
                1, 'cannot encode the reply: %s: %s' % (type(error).__name__, error)).to_reply()))

    def _connection_id(self, request):
        try:
            port = request.client_port
        except OSError:
            port = None
        if port not in self._connection_ids:
            self._connection_ids[port] = next(self._next_connection_id)
        return self._connection_ids[port]


# --------------------------------------------------------------------------------------
# Process lifecycle
# --------------------------------------------------------------------------------------

def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        description='Offline MongoDB-compatible test server (mongomock + mockupdb).')
    parser.add_argument('--port', type=int, default=0, help='TCP port, 0 picks a free one')
    parser.add_argument('--host', default='127.0.0.1', help='address to bind')
    parser.add_argument('--verbose', action='store_true', help='log every command to stderr')
    parser.add_argument('--ignore-stdin', action='store_true',
                        help='do not exit when stdin reaches EOF (for detached runs)')
    return parser.parse_args(argv)


def watch_stdin(stop_event):
    try:
        while sys.stdin.buffer.read(65536):
            pass
    except (OSError, ValueError):
        pass
    stop_event.set()


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    apply_mongomock_patches()
    bridge = Bridge(mongomock.MongoClient(), [os.path.basename(__file__)] + sys.argv[1:],
                    verbose=arguments.verbose)

    server = mockupdb.MockupDB(port=arguments.port or None, request_timeout=10 ** 6)
    # MockupDB always binds 'localhost'; its constructor offers no host parameter.
    server._address = (arguments.host, arguments.port or None)
    # mockupdb only treats real functions/methods as catch-all handlers, not callables.
    server.autoresponds(RequestHandler(bridge).handle)
    try:
        port = server.run()
    except OSError as error:
        sys.stderr.write('mongo-bridge: cannot listen on %s:%s: %s\n'
                         % (arguments.host, arguments.port, error))
        return 1

    stop_event = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stop_event.set())
    if not arguments.ignore_stdin:
        threading.Thread(target=watch_stdin, args=(stop_event,), daemon=True).start()

    sys.stdout.write('LISTENING %d\n' % port)
    sys.stdout.flush()

    while not stop_event.wait(0.2):
        pass
    # stop() closes the sockets at once, then joins threads: the accept loop only notices
    # after its 1 s select timeout.  Nothing is left to flush (data lives in memory), so
    # give it a moment to close connections politely and exit without the joins.
    stopper = threading.Thread(target=server.stop, daemon=True)
    stopper.start()
    stopper.join(0.25)
    return 0


if __name__ == '__main__':
    exit_code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Daemon connection threads may sit in blocking reads; skip interpreter teardown.
    os._exit(exit_code)
