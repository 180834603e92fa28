# A minimal syslog daemon for the real-sshd test: receives datagrams on the Unix socket argv[1]
# and appends them to argv[2] in the classic file format "Dec  2 18:55:01 host prog[pid]: text".
# glibc's syslog(3) sends "<PRI>Mmm dd hh:mm:ss prog[pid]: text", so only the host is inserted.
# With a 4th argument (the benchmark's), each line is also appended there after the wall-clock
# nanoseconds (CLOCK_REALTIME) read just before it was written to the file, so a reader's delay
# is never understated.
import os, re, socket, sys, time

sock_path, out_path, host = sys.argv[1], sys.argv[2], sys.argv[3]
stamps = open(sys.argv[4], "ab", buffering=0) if len(sys.argv) > 4 else None
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sock_path)
os.chmod(sock_path, 0o666)
form = re.compile(rb"^<\d+>([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (.*)$", re.S)
with open(out_path, "ab", buffering=0) as out:
    while True:
        data = s.recv(65536).rstrip(b"\n\0")
        m = form.match(data)
        if m:
            line = m.group(1) + b" " + host.encode() + b" " + m.group(2).replace(b"\n", b" ") + b"\n"
            t = time.time_ns()
            out.write(line)
            if stamps:
                stamps.write(str(t).encode() + b" " + line)
