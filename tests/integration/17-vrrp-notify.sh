#!/bin/bash
# Notify scripts and FIFOs of one router in a namespace. Every notify
# script takes 0.3 s on purpose while VI_1 changes state faster than that
# (BACKUP, MASTER, FAULT, BACKUP, MASTER, then STOP): the scripts of VI_1
# must still run one at a time, in the order of the transitions, with the
# right arguments (`notify` gets INSTANCE VI_1 STATE PRIORITY), including
# those still waiting when the daemon stops. Also: the global
# vrrp_notify_fifo (read by its vrrp_notify_fifo_script) and an instance's
# own notify_fifo get one line per event in order; an instance removed by a
# reload with notify_deleted reports DELETED; a script given a user runs as
# that user; with enable_script_security,
# scripts another user could change are refused, naming the script and why;
# smtp_alert mails each transition through an SMTP listener (python3) in a
# third namespace.
. "$(dirname "$0")/lib.sh"
require_netns
[ -n "${KEEP_LOGS:-}" ] && cleanup_add "cp $T/*.log $T/*.out ${KEEP_LOGS:-.}/"
require_cmd python3
lan_setup a:192.168.1.1/24 c:192.168.1.10/24 || { fail "topology"; done_testing; }
ip -n "$NS_a" link add trk0 type veth peer name trk0p && ip -n "$NS_a" link set trk0p up &&
	ip -n "$NS_a" link set trk0 up || { fail "trk0"; done_testing; }

mkdir -p "$T/s" "$T/insecure" "$T/other" "$T/pub"
chmod 711 "$T"; chmod 1777 "$T/pub"	# for a script run as nobody
cat > "$T/s/n.sh" <<EOF
#!/bin/sh
# n.sh LOGNAME ARGS...: a slow notify script
f="$T/\$1.log"; shift
echo "begin \$*" >> "\$f"
sleep 0.3
echo "end \$*" >> "\$f"
EOF
cat > "$T/s/fiforead.sh" <<EOF
#!/bin/sh
exec cat "\$1" >> "$T/fifo.out"
EOF
cat > "$T/insecure/x.sh" <<EOF
#!/bin/sh
touch "$T/x.ran"
EOF
cp "$T/insecure/x.sh" "$T/other/y.sh"
cat > "$T/s/who.sh" <<EOF
#!/bin/sh
echo "\$(id -un) \$(id -gn)" > "$T/pub/who"
EOF
chmod 755 "$T/s/who.sh"
chmod 755 "$T/s/n.sh" "$T/s/fiforead.sh" "$T/insecure/x.sh" "$T/other/y.sh"
chmod 777 "$T/insecure"			# anyone may replace x.sh
chown nobody "$T/other/y.sh"		# nobody may rewrite y.sh
mkfifo "$T/vi1.fifo"
# A minimal SMTP server: one session at a time, every line kept.
cat > "$T/smtpd.py" <<'EOF'
import socket, sys
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("0.0.0.0", 25)); srv.listen(5)
out = open(sys.argv[1], "a", buffering=1)
while True:
    c, _ = srv.accept(); f = c.makefile("rb")
    c.sendall(b"220 test ESMTP\r\n"); data = False
    for raw in f:
        line = raw.decode().rstrip("\r\n"); out.write(line + "\n")
        if data:
            if line == ".":
                data = False; c.sendall(b"250 queued\r\n")
            continue
        cmd = line[:4].upper()
        if cmd == "DATA":
            data = True; c.sendall(b"354 go ahead\r\n")
        elif cmd == "QUIT":
            c.sendall(b"221 bye\r\n"); break
        else:
            c.sendall(b"250 ok\r\n")
    out.write("=== end of session\n"); c.close()
EOF
ip netns exec "$NS_c" python3 "$T/smtpd.py" "$T/mail.txt" &
cleanup_add "kill $!"
wait_for 5 sh -c "ip netns exec $NS_c ss -ltn | grep -q ':25 '" || fail "no SMTP listener"
cat "$T/vi1.fifo" > "$T/vi1.out" &
cleanup_add "kill $!"

conf() {	# conf WITH_VI_2
	cat <<EOF
global_defs {
    router_id r1
    notification_email {
        ops@example.test
        oncall@example.test
    }
    notification_email_from alived@example.test
    smtp_server 192.168.1.10 25
    smtp_connect_timeout 5
    enable_script_security
    vrrp_notify_fifo $T/global.fifo
    vrrp_notify_fifo_script "$T/s/fiforead.sh"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    version 3
    priority 100
    advert_int 0.1
    virtual_ipaddress {
        192.168.1.220/24
    }
    track_interface {
        trk0
    }
    notify_master "$T/s/n.sh VI_1 master"
    notify_backup "$T/s/n.sh VI_1 backup"
    notify_fault "$T/s/n.sh VI_1 fault"
    notify_stop "$T/s/n.sh VI_1 stop"
    notify "$T/s/n.sh VI_1 any"
    notify_fifo $T/vi1.fifo
    smtp_alert
}
vrrp_instance VI_3 {
    interface eth0
    virtual_router_id 53
    version 3
    priority 100
    advert_int 0.1
    virtual_ipaddress {
        192.168.1.223/24
    }
    notify_backup $T/insecure/x.sh
    notify_master $T/other/y.sh
}
EOF
	[ "$1" = 1 ] && cat <<EOF
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
    version 3
    priority 100
    advert_int 0.1
    virtual_ipaddress {
        192.168.1.222/24
    }
    notify_deleted
    notify "$T/s/n.sh VI_2 any"
    notify_master $T/s/who.sh nobody
}
EOF
}
conf 1 > "$T/a.conf"

alived_start a "$NS_a" "$T/a.conf"
wait_for 5 grep -q "VI_1: INIT -> BACKUP" "$T/a.log" || { fail "no start"; cat "$T/a.log"; }
wait_for 3 has_addr "$NS_a" 192.168.1.220 || fail "VI_1 did not become master"
sleep 0.2
ip -n "$NS_a" link set trk0 down
sleep 0.2
ip -n "$NS_a" link set trk0 up
wait_for 3 sh -c "[ \$(grep -c 'VI_1: BACKUP -> MASTER' $T/a.log) -ge 2 ]" || fail "no second MASTER"
sleep 0.3
conf 0 > "$T/a.conf"
kill -HUP "$PID_a"
wait_for 3 grep -q "VI_2: removed by the new configuration" "$T/a.log" || fail "no reload"
sleep 0.3
stop_pid "$PID_a"
# what was still queued runs after the daemon is gone
wait_for 10 grep -q "end any INSTANCE VI_1 STOP 100" "$T/VI_1.log" ||
	fail "the last notification never ran"

# The transitions of VI_1, as logged, and the script lines they must give.
states=$(grep -o "VI_1: [A-Z]* -> [A-Z]*" "$T/a.log" | awk '{print $4}')
echo "VI_1 went:" $states
[ "$(echo $states)" = "BACKUP MASTER FAULT BACKUP MASTER STOP" ] &&
	pass "VI_1: BACKUP MASTER FAULT BACKUP MASTER STOP" || fail "unexpected transitions: $states"
expect=$(for s in $states; do
	l=$(echo "$s" | tr A-Z a-z)
	printf 'begin %s\nend %s\n' "$l" "$l"
	printf 'begin any INSTANCE VI_1 %s 100\nend any INSTANCE VI_1 %s 100\n' "$s" "$s"
done)
if [ "$(cat "$T/VI_1.log")" = "$expect" ]; then
	pass "VI_1's 12 notify runs: one at a time, in transition order, right arguments"
else
	fail "VI_1's notify runs out of order or overlapping:"
	diff <(echo "$expect") "$T/VI_1.log"
fi
# The scripts took longer than the transitions: the queue was needed.
t_stop=$(grep "VI_1: MASTER -> STOP" "$T/a.log" | awk '{print $2}')
[ -n "$t_stop" ] && pass "VI_1 stopped at $t_stop, its scripts ran on after (queued: 3.6 s of scripts)" ||
	fail "no STOP line"
grep -q "notify FIFO.*dropped\|cannot run" "$T/a.log" && fail "a notification was dropped" ||
	pass "nothing dropped"

# FIFOs: the global one (read by vrrp_notify_fifo_script) and VI_1's own.
fifo_expect=$(for s in $states; do echo "INSTANCE \"VI_1\" $s 100"; done)
wait_for 3 sh -c "grep -c 'INSTANCE \"VI_1\"' $T/fifo.out | grep -q 6"
if [ "$(grep 'INSTANCE "VI_1"' "$T/fifo.out")" = "$fifo_expect" ]; then
	pass "vrrp_notify_fifo (via its script): VI_1's 6 lines in order"
else
	fail "global FIFO:"; cat "$T/fifo.out"
fi
grep -q "INSTANCE \"VI_2\" DELETED 100" "$T/fifo.out" && pass "FIFO: VI_2 DELETED" ||
	fail "FIFO: no DELETED line for VI_2"
if [ "$(cat "$T/vi1.out")" = "$fifo_expect" ]; then
	pass "VI_1's own notify_fifo: its 6 lines only, in order"
else
	fail "VI_1's FIFO:"; cat "$T/vi1.out"
fi

# notify_deleted: VI_2 removed by the reload.
grep -q "begin any INSTANCE VI_2 DELETED 100" "$T/VI_2.log" &&
	pass "removed by a reload: notify got INSTANCE VI_2 DELETED 100" ||
	{ fail "no DELETED for VI_2"; cat "$T/VI_2.log"; }

# A notify script's own user (notify_master SCRIPT USER): nobody, nobody's group.
grep -q "^nobody $(id -gn nobody)\$" "$T/pub/who" 2>/dev/null &&
	pass "notify_master ... nobody: ran as nobody:$(id -gn nobody)" ||
	fail "the script did not run as nobody: $(cat "$T/pub/who" 2>&1)"

# Script security.
grep -q "VI_3: notify_backup '$T/insecure/x.sh' refused: it would run as root, but directory $T/insecure is writable by everyone (enable_script_security)" "$T/a.log" &&
	pass "refused: script in a world-writable directory (named, with the reason)" ||
	{ fail "no refusal for x.sh"; grep x.sh "$T/a.log"; }
grep -q "VI_3: notify_master '$T/other/y.sh' refused: it would run as root, but file $T/other/y.sh is owned by nobody" "$T/a.log" &&
	pass "refused: script owned by another user" ||
	{ fail "no refusal for y.sh"; grep y.sh "$T/a.log"; }
[ ! -e "$T/x.ran" ] && pass "refused scripts did not run" || fail "a refused script ran"
grep -q "VI_1: .*refused" "$T/a.log" && fail "a safe script was refused" ||
	pass "scripts in a root-only directory run"

# smtp_alert: a mail per VI_1 transition (STOP may be cut short), none for VI_3.
n=$(grep -c "^Subject: \\[r1\\] VRRP instance VI_1 is now" "$T/mail.txt")
[ "$n" -ge 5 ] && pass "smtp_alert: $n mails about VI_1 through the SMTP listener" ||
	{ fail "smtp_alert: $n mails"; cat "$T/mail.txt"; grep smtp "$T/a.log"; }
grep -q "^Subject: \\[r1\\] VRRP instance VI_1 is now MASTER" "$T/mail.txt" &&
	grep -q "^RCPT TO:<oncall@example.test>" "$T/mail.txt" &&
	grep -q "^MAIL FROM:<alived@example.test>" "$T/mail.txt" &&
	grep -q "^VRRP instance VI_1 on r1 (host .*) is now MASTER, priority 100.$" "$T/mail.txt" &&
	pass "smtp_alert: sender, both recipients, subject and body" ||
	{ fail "smtp_alert: mail content"; cat "$T/mail.txt"; }
grep -q "VI_3" "$T/mail.txt" && fail "a mail about VI_3 (no smtp_alert)" ||
	pass "no mail for an instance without smtp_alert"
done_testing
