import socket, sys, json
out = {}
for item in sys.argv[1:]:
    src, dst, port = item.split("|")
    fam = socket.AF_INET6 if ":" in src else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM); s.settimeout(4)
    try:
        s.bind((src, 0)); s.connect((dst, int(port))); out[item] = True
    except Exception as e:
        out[item] = False
    finally:
        s.close()
print(json.dumps(out))
