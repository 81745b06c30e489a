"""The Lua scripts the Redis presence store runs, each one atomic on the Redis server.

Every change of a visitor happens in one script, so that two servers entering visitors in
the same room at once never give the same free colour twice nor lose a count. Keys start
with the store's prefix (ARGV[1]):

- `v` hash: visitor id -> JSON {r: room, e: exhibit ("" for none), n: name, i: 1 if
  invisible, c: colour index, s: the server holding the visitor's socket};
- `m:ROOM` sorted set: the room's members (ids), scored by order of arrival (`seq`);
- `lp:ROOM` sorted set: the room's listed (visible) members, each as the JSON others see
  of them, as `store.Public` has it ({"id", "name", "exhibit", "colour"}), scored by order
  of arrival: the `look` of whoever enters the room reads its first ones as they are;
- `p` hash: listed visitor id -> their member of `lp:ROOM`, to find it again;
- `c:ROOM` hash: colour index -> listed visitors wearing it;
- `o` hash: room -> count, every room seen; `s:SERVER` set: the visitors of one server;
- `servers` sorted set: server id -> time of its last heartbeat, in Redis's clock (ms);
  `layout` hash: server id -> the `LAYOUT` of the keys it keeps (none: an older version);
- `x` stream: one entry per change of a visitor in a room: `r` room, `v` visitor id,
  `b`/`a` how others saw them before/after (JSON {n, e, c}, "" when not listed), `n` the
  room's count after it. Every server reads it all, and collapses it per tick.

What a visitor entering a room is told is its count, which the script that enters them
returns, and its first listed visitors and chat, read right after that script in the same
pipeline: one round trip per `enter`. The listed visitors, up to 200 of them, are most of
its cost on both sides, so they are kept as the JSON the ack carries and read by a plain
`ZRANGE`, not in Lua: a script's answer of 200 strings went through a Lua table and back,
which cost Redis more than the rest of the move.

Keys an older version kept and this one does not (`OLD_KEYS`) are removed by the servers
once no server of that version is alive (`TIDY`): until then, it still uses them.
"""

from __future__ import annotations

from .colours import PALETTE

# The version of the keys above, told by each server on its heartbeat. 2: listed visitors
# in `lp:ROOM` (as JSON); older servers kept their ids in `l:ROOM` sorted sets.
LAYOUT = 2
# Keys, after the prefix, that servers of an older layout kept and this one does not.
OLD_KEYS = ("l:*",)

# The palette as a Lua table: a colour index in `v` is the 0-based index in it.
_HEX = "{" + ", ".join(f"'{colour}'" for colour in PALETTE) + "}"

# ARGV[1] prefix, ARGV[2] the stream's approximate length bound; then each script's own.
_COMMON = (
    """
local P = ARGV[1]
local MAXLEN = ARGV[2]
local HEX = """
    + _HEX
    + """
local PALETTE = #HEX
local LAYOUT = """
    + str(LAYOUT)
    + """

local function visible(v)
  if v.i == 1 then return '' end
  return cjson.encode({n = v.n, e = v.e, c = v.c})
end

-- What others see of a listed visitor, keys in the order of `store.Public`.
local function public(id, v)
  local exhibit = 'null'
  if v.e ~= '' then exhibit = cjson.encode(v.e) end
  return '{"id":' .. cjson.encode(id) .. ',"name":' .. cjson.encode(v.n) .. ',"exhibit":'
         .. exhibit .. ',"colour":"' .. HEX[v.c + 1] .. '"}'
end

-- Append the change to the stream; return the room's count after it.
local function changed(room, id, before, after)
  local n = redis.call('ZCARD', P .. 'm:' .. room)
  redis.call('XADD', P .. 'x', 'MAXLEN', '~', MAXLEN, '*',
             'r', room, 'v', id, 'b', before, 'a', after, 'n', n)
  return n
end

-- Take a listed visitor's JSON out of `room`'s listed ones; return its score, or nil.
local function unlist(room, id)
  local member = redis.call('HGET', P .. 'p', id)
  if not member then return nil end
  local key = P .. 'lp:' .. room
  local score = redis.call('ZSCORE', key, member)
  redis.call('ZREM', key, member)
  redis.call('HDEL', P .. 'p', id)
  return score
end

local function remove(id, v)
  local room = v.r
  local before = visible(v)
  redis.call('ZREM', P .. 'm:' .. room, id)
  if v.i == 0 then
    unlist(room, id)
    redis.call('HINCRBY', P .. 'c:' .. room, v.c, -1)
  end
  redis.call('HINCRBY', P .. 'o', room, -1)
  redis.call('HDEL', P .. 'v', id)
  redis.call('SREM', P .. 's:' .. v.s, id)
  changed(room, id, before, '')
end

local function reap(server)
  local ids = redis.call('SMEMBERS', P .. 's:' .. server)
  for _, id in ipairs(ids) do
    local raw = redis.call('HGET', P .. 'v', id)
    if raw then
      local v = cjson.decode(raw)
      if v.s == server then remove(id, v) end
    end
  end
  redis.call('DEL', P .. 's:' .. server)
  redis.call('ZREM', P .. 'servers', server)
  redis.call('HDEL', P .. 'layout', server)
  return #ids
end
"""
)

# ARGV[3] id, [4] room, [5] exhibit ("" for none), [6] name, [7] 1 if invisible,
# [8] wished colour (-1: none), [9] server. Returns {room left or "", colour given, count of
# the room entered}.
ENTER = (
    _COMMON
    + """
local id, room, exhibit, name = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local inv, wish, server = tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9]
local raw = redis.call('HGET', P .. 'v', id)
local v = raw and cjson.decode(raw) or nil
local left = ''
if v and v.r ~= room then
  left = v.r
  remove(id, v)
  v = nil
end
local before, worn = '', -1
if v then
  before = visible(v)
  worn = v.c
  if v.i == 0 then redis.call('HINCRBY', P .. 'c:' .. room, v.c, -1) end
else
  redis.call('ZADD', P .. 'm:' .. room, redis.call('INCR', P .. 'seq'), id)
  redis.call('HINCRBY', P .. 'o', room, 1)
  redis.call('SADD', P .. 's:' .. server, id)
end
local counts = redis.call('HMGET', P .. 'c:' .. room,
                          '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11')
local function worn_by(i) return tonumber(counts[i + 1]) or 0 end
local colour
if wish >= 0 and wish < PALETTE and worn_by(wish) == 0 then
  colour = wish
elseif worn >= 0 and worn_by(worn) == 0 then
  colour = worn
else
  colour = 0
  for i = 1, PALETTE - 1 do
    if worn_by(i) < worn_by(colour) then colour = i end
  end
end
v = {r = room, e = exhibit, n = name, i = inv, c = colour, s = server}
if inv == 1 then
  unlist(room, id)
else
  local member = public(id, v)
  if redis.call('HGET', P .. 'p', id) ~= member then
    -- Seen otherwise now: the new JSON takes the old one's place in the order of arrival.
    local score = unlist(room, id) or redis.call('INCR', P .. 'seq')
    redis.call('ZADD', P .. 'lp:' .. room, score, member)
    redis.call('HSET', P .. 'p', id, member)
  end
  redis.call('HINCRBY', P .. 'c:' .. room, colour, 1)
end
redis.call('HSET', P .. 'v', id, cjson.encode(v))
return {left, colour, changed(room, id, before, visible(v))}
"""
)

# ARGV[3] id. Returns the room left, or false.
LEAVE = (
    _COMMON
    + """
local raw = redis.call('HGET', P .. 'v', ARGV[3])
if not raw then return false end
local v = cjson.decode(raw)
remove(ARGV[3], v)
return v.r
"""
)

# ARGV[3] server, [4] heartbeat timeout (ms). Marks the server alive, with the layout of its
# keys, takes the visitors of servers silent for longer than the timeout out of their rooms.
# Returns {1 if this server was unknown (never seen, or reaped meanwhile), reaped server, ...}.
BEAT = (
    _COMMON
    + """
local server, timeout = ARGV[3], tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {redis.call('ZADD', P .. 'servers', now, server)}
redis.call('HSET', P .. 'layout', server, LAYOUT)
local dead = redis.call('ZRANGEBYSCORE', P .. 'servers', '-inf', now - timeout)
for _, other in ipairs(dead) do
  if other ~= server then
    reap(other)
    out[#out + 1] = other
  end
end
return out
"""
)

# ARGV[3] server. Takes every visitor of the server out of their room (a clean stop, or
# before the server enters its own visitors again). Returns how many there were.
REAP = (
    _COMMON
    + """
return reap(ARGV[3])
"""
)

# ARGV[2...] keys. Unless a server of an older layout is alive (or silent and not reaped
# yet), removes the keys (found by SCAN: `OLD_KEYS`) and forgets the layouts of servers
# gone. Returns how many keys it removed, or -1 if such a server is alive.
TIDY = (
    """
local P = ARGV[1]
local alive = {}
for _, server in ipairs(redis.call('ZRANGE', P .. 'servers', 0, -1)) do
  alive[server] = true
  local layout = tonumber(redis.call('HGET', P .. 'layout', server))
  if layout == nil or layout < """
    + str(LAYOUT)
    + """ then return -1 end
end
for _, server in ipairs(redis.call('HKEYS', P .. 'layout')) do
  if not alive[server] then redis.call('HDEL', P .. 'layout', server) end
end
if #ARGV < 2 then return 0 end
return redis.call('UNLINK', unpack(ARGV, 2))
"""
)

# ARGV[2] room, [3] history size, [4...] messages (JSON). Fills the room's chat history
# once, from the database, unless another server did it first. Returns 1 if it did.
CHAT_LOAD = """
local P = ARGV[1]
if redis.call('SET', P .. 'chatok:' .. ARGV[2], 1, 'NX') == false then return 0 end
local key = P .. 'chat:' .. ARGV[2]
redis.call('DEL', key)
for i = 4, #ARGV do redis.call('RPUSH', key, ARGV[i]) end
redis.call('LTRIM', key, -tonumber(ARGV[3]), -1)
return 1
"""

# ARGV[2] room, [3] message id. Drops a hidden message from the room's chat history.
CHAT_DROP = """
local P = ARGV[1]
local key = P .. 'chat:' .. ARGV[2]
for _, raw in ipairs(redis.call('LRANGE', key, 0, -1)) do
  local ok, m = pcall(cjson.decode, raw)
  if ok and tostring(m.message) == ARGV[3] then redis.call('LREM', key, 0, raw) end
end
return 1
"""

# ARGV[2] role, [3] server, [4] lease (ms). The server holds the role (renewed) or takes it
# if nobody holds it. Returns 1 if the server holds it now.
LEAD = """
local key = ARGV[1] .. 'lead:' .. ARGV[2]
if redis.call('GET', key) == ARGV[3] then
  redis.call('PEXPIRE', key, ARGV[4])
  return 1
end
if redis.call('SET', key, ARGV[3], 'NX', 'PX', ARGV[4]) then return 1 end
return 0
"""
