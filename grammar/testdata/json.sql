# eKuiper docs (json_expr.md): `.` dereferences a stream or a JSON key
SELECT demo.age FROM demo
====
SELECT demo.name->first FROM demo
====
SELECT demo.name.first FROM demo
====
SELECT name.first AS fname FROM demo
====
SELECT name->first AS fname FROM demo
====
SELECT ops->functionA.numArgs AS num FROM demo
====
# eKuiper docs: indexes, negative from the end
SELECT children[0], children[1], children[-1], children[-2] FROM demo
====
SELECT d.friends[0]->last FROM demo AS d
====
# eKuiper docs: slices
SELECT children[0:1], children[1:-1], children[0:-1] FROM demo
====
SELECT children[:] FROM demo
====
SELECT children[:2], children[2:] FROM demo
====
SELECT children[x:y], children[x+1:y] FROM demo
====
SELECT followers->Group1[:1]->first FROM demo
====
# `[]` is the whole array
SELECT children[] FROM demo
====
# eKuiper's parser tests: expressions in brackets
SELECT arr[x:4] FROM tbl
====
SELECT arr[1:x] FROM tbl
====
SELECT arr[x] FROM tbl
====
SELECT arr[x+1:y] FROM tbl
====
# the issue's rule
SELECT data->tag1->value AS temperature, data->tag2->value AS humidity FROM demo WHERE data->tag1->value > 20
====
# reserved words are fine as keys after -> and .
SELECT a->select, a.from, a->`with space` FROM demo
====
# chains of access, index and call results
SELECT a->b[0]->c[1:2][0], f(x)->y, (a)->b, collect(*)[0]->id FROM demo
====
# JSON path functions
SELECT json_path_query(followers, "$.Group1[*].last") FROM demo
====
SELECT name->last FROM demo where json_path_exists(followers, "$.Group1[? @.age>30]")
====
SELECT json_path_exists(followers, "$[\"my.follower\"]") FROM demo
====
# meta(): keys, qualified keys, nested keys, everything
SELECT meta(topic), meta(demo.topic), meta(properties->id), meta(*) FROM demo
====
SELECT temperature, meta(topic) AS t FROM demo WHERE meta(topic) = "devices/1"
====
# mqtt() is meta for MQTT keys
SELECT mqtt(topic), mqtt(messageid) FROM demo
====
# ERROR: an unclosed bracket
SELECT a[0 FROM demo
====
# ERROR: two colons
SELECT a[1:2:3] FROM demo
====
# ERROR: -> needs a key (reserved words are keys after ->, so FROM is taken as the key)
SELECT a-> FROM demo
====
# ERROR: -> takes a name, not a number
SELECT a->0 FROM demo
====
# ERROR: a dot needs a key (FROM is taken as the key, as after ->)
SELECT a. FROM demo
