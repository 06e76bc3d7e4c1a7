# eKuiper docs (windows.md): tumbling
SELECT count(*) FROM demo GROUP BY ID, TUMBLINGWINDOW(ss, 10);
====
# hopping
SELECT count(*) FROM demo GROUP BY ID, HOPPINGWINDOW(ss, 10, 5);
====
# sliding, with and without a delay
SELECT count(*) FROM demo GROUP BY ID, SLIDINGWINDOW(mi, 1);
====
SELECT * FROM demo GROUP BY SLIDINGWINDOW(ss, 10, 2)
====
# a sliding window triggered by a condition
SELECT * FROM demo GROUP BY SLIDINGWINDOW(ss, 10) OVER (WHEN temperature > 30)
====
SELECT Acceleration, Angle, BrakePosition, Speed, event_time() FROM stream GROUP BY SlidingWindow(ss, 10) OVER (WHEN BrakePosition > 10)
====
# session
SELECT count(*) FROM demo GROUP BY ID, SESSIONWINDOW(mi, 2, 1);
====
# count windows
SELECT * FROM demo WHERE temperature > 20 GROUP BY COUNTWINDOW(5)
====
SELECT * FROM demo WHERE temperature > 20 GROUP BY COUNTWINDOW(5,1) HAVING COUNT(*) > 2
====
# a window FILTER drops rows before they enter the window
SELECT * FROM demo GROUP BY COUNTWINDOW(3,1) FILTER(where revenue > 100)
====
# FILTER then OVER on one window
SELECT * FROM demo GROUP BY SLIDINGWINDOW(ss, 10) FILTER (WHERE a > 0) OVER (WHEN b > 1)
====
# state windows: one condition, two conditions, partitioned
SELECT * FROM demo GROUP BY STATEWINDOW(temperature > 30)
====
SELECT * FROM demo GROUP BY STATEWINDOW(status = "start", status = "end")
====
SELECT * FROM demo GROUP BY STATEWINDOW(a > 1, a < 0) OVER (PARTITION BY deviceId)
====
# every time unit, in any case
SELECT a FROM t GROUP BY TUMBLINGWINDOW(dd, 1)
====
SELECT a FROM t GROUP BY TUMBLINGWINDOW(HH, 1)
====
SELECT a FROM t GROUP BY TUMBLINGWINDOW(Mi, 1)
====
SELECT a FROM t GROUP BY TUMBLINGWINDOW(SS, 1)
====
SELECT a FROM t GROUP BY TUMBLINGWINDOW(ms, 500)
====
# window names are case-insensitive
SELECT a FROM t GROUP BY tumblingWindow(ss, 1)
====
# the window between dimensions
SELECT a FROM t GROUP BY a, COUNTWINDOW(2), b
====
# a sliding window with a zero delay
SELECT a FROM t GROUP BY SLIDINGWINDOW(ss, 10, 0)
====
# ERROR: a missing argument (eKuiper: The arguments for tumblingwindow should be 2.)
SELECT a FROM t GROUP BY TUMBLINGWINDOW(ss)
====
# ERROR: too many arguments
SELECT a FROM t GROUP BY TUMBLINGWINDOW(ss, 1, 2)
====
# ERROR: the hop is required
SELECT a FROM t GROUP BY HOPPINGWINDOW(ss, 10)
====
# ERROR: the session timeout is required
SELECT a FROM t GROUP BY SESSIONWINDOW(ss, 10)
====
# ERROR: the first argument is a time unit (eKuiper: expecting timer literal expression)
SELECT a FROM t GROUP BY TUMBLINGWINDOW(10, ss)
====
# ERROR: an unknown time unit
SELECT a FROM t GROUP BY TUMBLINGWINDOW(sec, 10)
====
# ERROR: lengths are integer literals
SELECT a FROM t GROUP BY TUMBLINGWINDOW(ss, 1.5)
====
# ERROR: a field is not a length
SELECT a FROM t GROUP BY TUMBLINGWINDOW(ss, n)
====
# ERROR: lengths are positive
SELECT a FROM t GROUP BY TUMBLINGWINDOW(ss, 0)
====
# ERROR: count windows take one or two integers
SELECT a FROM t GROUP BY COUNTWINDOW()
====
# ERROR: a count window takes no time unit
SELECT a FROM t GROUP BY COUNTWINDOW(ss, 10)
====
# ERROR: the interval exceeds the count (eKuiper's message)
SELECT a FROM t GROUP BY COUNTWINDOW(3, 5)
====
# ERROR: only one window
SELECT a FROM t GROUP BY TUMBLINGWINDOW(ss, 1), COUNTWINDOW(2)
====
# ERROR: a state window condition cannot be a time unit
SELECT a FROM t GROUP BY STATEWINDOW(ss)
====
# ERROR: a window's OVER needs content
SELECT a FROM t GROUP BY SLIDINGWINDOW(ss, 10) OVER ()
====
# ERROR: an unclosed window FILTER
SELECT a FROM t GROUP BY COUNTWINDOW(3) FILTER (WHERE a > 1
