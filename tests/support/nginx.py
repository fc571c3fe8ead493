"""Debian's nginx in front of test servers, with the site configuration docs/deploy.md gives."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import requests

from tests.support import environment
from tests.support.servers import free_port

SITE = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "nginx-site.conf"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None
    )


class Nginx:
    def __init__(self, directory: Path, upstream_ports: list[int]):
        self.directory = Path(directory)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.upstream_ports = upstream_ports
        self.process: subprocess.Popen | None = None

    def site(self) -> str:
        """The documented site, pointed at the test's processes and port."""
        site = SITE.read_text()
        servers = "\n".join(
            f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;"
            for port in self.upstream_ports
        )
        site = re.sub(
            r"(?m)^    server 127\.0\.0\.1:\d+ .*;\n(?:    server 127\.0\.0\.1:\d+ .*;\n)*",
            servers + "\n",
            site,
        )
        return site.replace("listen 80;", f"listen 127.0.0.1:{self.port};")

    def start(self) -> Nginx:
        binary = nginx_binary()
        if binary is None:
            environment.missing("nginx is not installed (apt-get install nginx-light)")
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "site.conf").write_text(self.site())
        temp = self.directory / "temp"
        temp.mkdir(exist_ok=True)
        (self.directory / "nginx.conf").write_text(f"""
worker_processes 1;
pid {self.directory}/nginx.pid;
error_log {self.directory}/error.log warn;
user root;
events {{ worker_connections 1024; }}
http {{
    access_log {self.directory}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.directory}/site.conf;
}}
""")
        self.process = subprocess.Popen(
            [
                binary,
                "-p",
                str(self.directory),
                "-c",
                str(self.directory / "nginx.conf"),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("nginx failed: " + self.process.stderr.read().decode())
            try:
                requests.get(self.url + "/healthz", timeout=1)
                return self
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.process and self.process.stderr:
            self.process.stderr.close()

    def access_log(self) -> str:
        return (self.directory / "access.log").read_text()
