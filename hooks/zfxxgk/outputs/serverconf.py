"""Web server configurations (nginx, Caddy) that serve the built site with the pages' own policy.

``python -m zfxxgk server-config nginx|caddy`` prints them; docs/deploy/ holds
the example site's output, which tests/test_serverconf.py keeps equal to it.
The Content-Security-Policy header comes from ``zfxxgk.outputs.csp`` (the same module
that writes every page's meta tag), never from a copied string.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from zfxxgk.catalog.settings import SiteSettings
from zfxxgk.outputs import csp
from zfxxgk.catalog.terms import CatalogueError, load as load_catalogue

# The other security headers, for every response (the 404 page too).
HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),   # search words in ?q= stay on this site
    ("Permissions-Policy", "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                           "magnetometer=(), microphone=(), payment=(), usb=()"),
)
# The web editor (Decap CMS) loads its own scripts and styles and talks to the git host's API.
ADMIN_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", "frame-ancestors 'self'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)
HASHED_ASSET = r"\.[0-9a-f]{8}\.min\.(css|js)$"     # Material's files carry their content hash in the name
TEXT_TYPES = "text/css application/javascript application/json application/xml application/atom+xml image/svg+xml"
SERVERS = ("nginx", "caddy")


@dataclass
class Target:
    """What a configuration needs to know about the site."""
    settings: SiteSettings
    site_url: str
    inline: csp.Inline

    @property
    def prefix(self) -> str:
        path = urlsplit(self.site_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def host(self) -> str:
        return urlsplit(self.site_url).hostname or "_"

    def headers(self) -> list[tuple[str, str]]:
        out = [("Content-Security-Policy", csp.header_policy(self.settings, self.inline)), *HEADERS]
        if not csp.frame_ancestors(self.settings):   # X-Frame-Options cannot name other sites
            out.append(("X-Frame-Options", "SAMEORIGIN"))
        return out


def load(root: Path) -> Target:
    """The site at ``root``: mkdocs.yml (site_url, theme directories) and catalog/site.yml."""
    from mkdocs.config import load_config   # imported here: only this command needs MkDocs

    config = load_config(config_file=str(root / "mkdocs.yml"))
    settings = load_catalogue(root / "catalog").settings
    if problems := csp.settings_problems(settings):   # a bad origin must never reach a header
        raise CatalogueError("\n".join(p.format().removeprefix("错误 ") for p in problems) + "\n未生成配置。")
    return Target(settings, config.site_url or "", csp.theme_inline(config.theme.dirs, config.theme.custom_dir))


def _head(server: str, target: Target, web_root: str) -> list[str]:
    return [
        f"# 政府信息公开专栏：{server} 配置，由 `python -m zfxxgk server-config {server}` 按 mkdocs.yml 与",
        "# catalog/site.yml 生成；修改模板或设置后重新生成，不要手改其中的 Content-Security-Policy：",
        "# 它与每个页面 <meta> 中的策略出自同一模块（hooks/zfxxgk/outputs/csp.py）。说明见 docs/publishing.md。",
        f"# 把构建出的 site/ 目录的内容复制到 {web_root.rstrip('/')}{target.prefix}（网址 {target.prefix}）。",
    ]


def nginx(target: Target, web_root: str = "/var/www", listen: str = "80") -> str:
    p = target.prefix
    lines = _head("nginx", target, web_root) + [
        "# 放在 http { } 中（如 /etc/nginx/conf.d/zfxxgk.conf）；HTTPS 站点另加 listen 443 ssl 与证书，",
        "# 并可加 add_header Strict-Transport-Security \"max-age=31536000\" always;",
        "server {",
        f"    listen {listen};",
        f"    server_name {target.host};",
        f"    root {web_root};",
        "    server_tokens off;",
        "    absolute_redirect off;",
        "    charset utf-8;",
        f"    charset_types {TEXT_TYPES};",
        "",
        "    # 构建时写出的 .gz（catalog/site.yml 的 server.precompress: true）直接发送；其余文本即时压缩。",
        "    gzip_static on;",
        "    gzip on;",
        "    gzip_vary on;",
        f"    gzip_types {TEXT_TYPES} text/plain;",
        "",
        *(f'    add_header {name} "{value}" always;' for name, value in target.headers()),
        "",
        f"    error_page 404 {p}404.html;",
        "",
        "    # 页面、订阅源、检索索引：每次访问都向服务器确认（ETag），新发布的文件立即可见。",
        f"    location {p} {{",
        "        expires epoch;",
        "    }",
        "    # 文件名带内容哈希的主题文件：长期缓存。",
        f'    location ~ "^{p}assets/.*{HASHED_ASSET}" {{',
        "        expires max;",
        "    }",
        "    # 网页编辑器（Decap CMS）自带脚本并访问代码托管平台的接口，页面的策略不适用于它。",
        f"    location {p}admin/ {{",
        *(f'        add_header {name} "{value}" always;' for name, value in ADMIN_HEADERS),
        "        expires epoch;",
        "    }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def caddy(target: Target, web_root: str = "/var/www", address: str | None = None) -> str:
    p = target.prefix

    def site_headers(tabs: str) -> list[str]:
        return [f'{tabs}{name} "{value}"' for name, value in target.headers()]
    lines = _head("caddy", target, web_root) + [
        "# Caddyfile；站点地址写域名时 Caddy 自动申请 HTTPS 证书，内网可写 http://主机名。",
        f"{address or target.host} {{",
        f"\troot * {web_root}",
        "\theader -Server",
        f"\t@site not path {p}admin/*",     # header blocks are not ordered: the two sets must not overlap
        "\theader @site {",
        *site_headers("\t\t"),
        "\t}",
        f'\t@hashed path_regexp "^{p}assets/.*{HASHED_ASSET}"',
        '\theader @hashed Cache-Control "public, max-age=31536000, immutable"',
        f'\t@fresh not path_regexp "{HASHED_ASSET}"',
        '\theader @fresh Cache-Control "no-cache"',
        f"\theader {p}admin/* {{",
        *(f'\t\t{name} "{value}"' for name, value in ADMIN_HEADERS),
        "\t}",
        "\t# 构建时写出的 .gz（server.precompress: true）直接发送；其余文本即时压缩。",
        "\tencode gzip",
        "\tfile_server {",
        "\t\tprecompressed gzip",
        "\t}",
        "\thandle_errors {",
        "\t\t@404 expression {err.status_code} == 404",
        "\t\thandle @404 {",
        f"\t\t\trewrite * {p}404.html",
        "\t\t\theader {",
        *site_headers("\t\t\t\t"),
        "\t\t\t}",
        "\t\t\tfile_server {",
        "\t\t\t\tprecompressed gzip",
        "\t\t\t}",
        "\t\t}",
        "\t}",
        "}",
    ]
    return "\n".join(lines) + "\n"
