"""Readers written from the consumers' own parser source, for the formats whose consumer is a C++ program
that is not installed here (IBDM, BookSim2, SimAI). Each follows its source's tokens, states and checks,
and raises ``ParseError`` where the original prints an error, asserts or would index out of bounds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


class ParseError(Exception):
    pass


# -- IBDM (ibutils) ------------------------------------------------------------------------------------

# ibdm/ibdm/ibnl_scanner.ll, in rule order; flex takes the longest match, ties to the earlier rule.
IBNL_RULES = [
    ("INT", re.compile(r"[1-9][0-9]*|0")),
    ("SYSTEM", re.compile(r"SYSTEM")),
    ("TOPSYSTEM", re.compile(r"TOPSYSTEM")),
    ("NODE", re.compile(r"NODE")),
    ("WIDTH", re.compile(r"12x|1x|4x|8x")),
    ("SPEED", re.compile(r"2.5G|10G|5G")),
    ("SUBSYSTEM", re.compile(r"SUBSYSTEM")),
    ("CFG", re.compile(r"CFG:")),
    ("NODETYPE", re.compile(r"HCA|SW|CA")),
    ("NAME", re.compile(r"[A-Za-z][-\[\]\\*/A-Za-z0-9_.:%@~]+")),
    ("LINE", re.compile(r"\n")),
    ("SKIP", re.compile(r"[ \t]+")),
    ("CHAR", re.compile(r".")),
]


def ibnl_tokens(text: str) -> list[tuple[str, str]]:
    """The token stream of ``ibnl_scanner.ll`` (blanks dropped, other single characters as themselves)."""
    out, pos = [], 0
    while pos < len(text):
        best: tuple[int, str] | None = None
        for name, rule in IBNL_RULES:
            match = rule.match(text, pos)
            if match and match.end() > pos and (best is None or match.end() > best[0]):
                best = (match.end(), name)
        assert best is not None
        end, name = best
        if name == "CHAR":
            out.append((text[pos], text[pos]))
        elif name != "SKIP":
            out.append((name, text[pos:end]))
        pos = end
    out.append(("EOF", ""))
    return out


class _IbnlParser:
    """``ibnl_parser.yy``: ``ibnl: ONL systems topsystem``, a TOPSYSTEM of NODEs whose ports map to
    system ports (node_to_port_link); returns the system names and their system port names. SYSTEM
    and SUBSYSTEM blocks (never written by topoctl) are refused as unsupported."""

    def __init__(self, text: str) -> None:
        self.tokens = ibnl_tokens(text)
        self.i = 0

    def peek(self) -> str:
        return self.tokens[self.i][0]

    def take(self, kind: str) -> str:
        token, value = self.tokens[self.i]
        if token != kind:
            raise ParseError(f"ibnl syntax error: expected {kind}, got {token} {value!r}")
        self.i += 1
        return value

    def newlines(self, required: bool) -> None:
        if required:
            self.take("LINE")
        while self.peek() == "LINE":
            self.i += 1

    def parse(self) -> tuple[list[str], set[str]]:
        self.newlines(required=False)
        if self.peek() in ("SYSTEM", "SUBSYSTEM"):
            raise ParseError("SYSTEM blocks are not supported by this reader")
        self.take("TOPSYSTEM")
        names = [self.take("NAME")]
        while self.peek() == ",":
            self.take(",")
            names.append(self.take("NAME"))
        self.newlines(required=True)
        while self.peek() == "NAME":  # sub_inst_attributes: NAME '=' NAME ['=' (NAME|INT)] NL
            self.take("NAME")
            self.take("=")
            self.take("NAME")
            if self.peek() == "=":
                self.take("=")
                self.take("INT" if self.peek() == "INT" else "NAME")
            self.newlines(required=True)
        ports: set[str] = set()
        while self.peek() == "NODE":
            self.take("NODE")
            self.take("NODETYPE")
            num_ports = int(self.take("INT"))
            self.take("NAME")  # device
            self.take("NAME")  # instance
            self.newlines(required=True)
            node_ports: set[int] = set()
            while self.peek() == "INT":  # node_to_port_link
                port = int(self.take("INT"))
                self.take("-")
                if self.peek() == "WIDTH":
                    self.take("WIDTH")
                    self.take("-")
                if self.peek() == "SPEED":
                    self.take("SPEED")
                    self.take("-")
                self.take(">")
                system_port = self.take("NAME")
                if self.peek() == "INT":
                    raise ParseError("node-to-node links are not supported by this reader")
                self.newlines(required=True)
                if not 1 <= port <= num_ports or port in node_ports or system_port in ports:
                    raise ParseError(f"ibnl: node port {port} -> {system_port} repeats or exceeds {num_ports}")
                node_ports.add(port)
                ports.add(system_port)
        self.take("EOF")
        return names, ports


def parse_ibnl(text: str) -> tuple[list[str], set[str]]:
    return _IbnlParser(text).parse()


# ibdm/ibdm/Fabric.cpp, IBFabric::parseTopology (POSIX extended expressions, searched with regexec)
TOPO_SYSTEM = re.compile(r"^[ \t]*([^/ \t]+)[ \t]+([^/ \t]+)[ \t]*( CFG:(.*))?$")
TOPO_PORT = re.compile(r"^[ \t]+([^ \t]+)[ \t]+-((1|4|8|12)[xX]-)?((2.5|5|10)G-)?[>]"
                       r"[ \t]+([^ \t]+)[ \t]+([^ \t]+)[ \t]+([^ \t]+)[ \t]*$")
TOPO_IGNORE = re.compile(r"^[ \t]*#")
TOPO_EMPTY = re.compile(r"^[ \t]*$")
IBDM_LINE_BUFFER = 1024  # f.getline(sLine, 1024)


@dataclass
class IbFabric:
    """Systems (name -> type) and the cables IBDM made (port -> remote port, both directions)."""

    system_types: dict[str, str] = field(default_factory=dict)
    remote: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    widths: set[str] = field(default_factory=set)
    speeds: set[str] = field(default_factory=set)

    def cables(self) -> set[frozenset[tuple[str, str]]]:
        return {frozenset((a, z)) for a, z in self.remote.items()}


def ibdm_load(topology: Path, ibnl_directory: Path) -> IbFabric:
    """Load ``topology`` as ``IBFabric::parseTopology`` does, with the system definitions of the ``.ibnl``
    files in ``ibnl_directory`` (what ``IBDM_IBNL_PATH`` points to); ParseError for any -E- or -W-."""
    sysdefs: dict[str, set[str]] = {}
    for path in sorted(ibnl_directory.glob("*.ibnl")):
        names, ports = parse_ibnl(path.read_text())
        for name in names:
            sysdefs[name] = ports
    lines = topology.read_text().split("\n")
    if any(len(line.encode()) >= IBDM_LINE_BUFFER for line in lines):
        raise ParseError("a line does not fit IBDM's 1,024-byte line buffer")
    fabric = IbFabric()

    def make_system(name: str, system_type: str) -> None:
        if name not in fabric.system_types:
            if system_type not in sysdefs:
                raise ParseError(f"-E- Fail to find System class:{system_type}")
            fabric.system_types[name] = system_type

    for line in lines:  # first pass: systems
        if TOPO_IGNORE.search(line):
            continue
        match = TOPO_SYSTEM.search(line)
        if match:
            make_system(match[2], match[1])
    system: tuple[str, str] | None = None
    for number, line in enumerate(lines, 1):  # second pass: cables
        if TOPO_IGNORE.search(line):
            continue
        match = TOPO_SYSTEM.search(line)
        if match:
            system = (match[1], match[2])
            continue
        match = TOPO_PORT.search(line)
        if match:
            if system is None:
                raise ParseError(f"-E- Fail to make connection as local system not defined (line:{number})")
            t1, n1 = system
            p1, t2, n2, p2 = match[1], match[6], match[7], match[8]
            fabric.widths.add(match[3] or "4")  # unknown width: 4x
            fabric.speeds.add(match[5] or "2.5")  # unknown speed: 2.5
            make_system(n2, t2)
            for name, given in ((n1, t1), (n2, t2)):
                if fabric.system_types[name] != given:
                    raise ParseError(f"-W- Provided System Type:{given} does not match pre-existing system:{name}")
            for name, port in ((n1, p1), (n2, p2)):
                if port not in sysdefs[fabric.system_types[name]]:  # makeSysPort: no node port behind it
                    raise ParseError(f"-E- Fail to make cable (line:{number}): {name} has no port {port}")
            a, z = (n1, p1), (n2, p2)
            for one, other in ((a, z), (z, a)):
                if fabric.remote.get(one, other) != other:
                    raise ParseError(f"-E- Port:{one} already connected to:{fabric.remote[one]} (line:{number})")
            fabric.remote[a], fabric.remote[z] = z, a
            continue
        if TOPO_EMPTY.search(line):
            system = None
            continue
        raise ParseError(f"-W- Ignoring '{line}' (line:{number})")
    return fabric


# -- BookSim2 anynet -----------------------------------------------------------------------------------

@dataclass
class AnyNet:
    """``AnyNet::readFile``'s maps: node -> router, router -> {node: latency}, router -> {router: latency}."""

    node_router: dict[int, int] = field(default_factory=dict)
    router_nodes: dict[int, dict[int, int]] = field(default_factory=dict)
    router_routers: dict[int, dict[int, int]] = field(default_factory=dict)


def read_anynet(text: str) -> AnyNet:
    """booksim2 src/networks/anynet.cpp ``AnyNet::readFile`` (lines split on single spaces, empty tokens
    skipped), then the checks of ``readFile`` and ``_ComputeSize``/``_BuildNet``: as many router entries
    in both maps, nodes numbered 0..n-1, routers 0..r-1 (``_routers[node]`` is indexed by router number)."""
    net = AnyNet()
    nets = (net.router_nodes, net.router_routers)
    for line in text.split("\n"):
        if line == "":
            continue
        state, head_type, head_id, body_type, body_id = "HEAD_TYPE", "", -1, "", -1
        for token in line.split(" "):
            if token == "":
                continue
            if state == "LINK_WEIGHT":
                if token not in ("router", "node"):
                    weight = int(token)
                    (net.router_nodes if head_type == "node" else net.router_routers)[head_id][body_id] = weight
                    continue  # stays in LINK_WEIGHT, as the original's break does
                state = "BODY_TYPE"
            if state == "HEAD_TYPE":
                if token not in ("router", "node"):
                    raise ParseError(f"Anynet:Unknow head of line type {token}")
                head_type, state = token, "HEAD_ID"
            elif state == "HEAD_ID":
                head_id = int(token)
                for table in nets:
                    table.setdefault(head_id, {})
                state = "BODY_TYPE"
            elif state == "BODY_TYPE":
                if token not in ("router", "node"):
                    raise ParseError(f"Anynet:Unknow body type {token}")
                body_type, state = token, "BODY_ID"
            elif state == "BODY_ID":
                body_id = int(token)
                if body_type == "router":
                    for table in nets:
                        table.setdefault(body_id, {})
                if head_type == "node" and body_type == "node":
                    raise ParseError("Anynet:Cannot connect node to node")
                if head_type == "node" or body_type == "node":
                    node, router = (head_id, body_id) if head_type == "node" else (body_id, head_id)
                    if net.node_router.get(node, router) != router:
                        raise ParseError(f"Anynet:Node {node} trying to connect to multiple router")
                    net.node_router[node] = router
                    net.router_nodes[router][node] = 1
                else:
                    net.router_routers[head_id][body_id] = 1
                    net.router_routers[body_id].setdefault(head_id, 1)
                state = "LINK_WEIGHT"
        if state not in ("LINK_WEIGHT", "BODY_TYPE"):
            raise ParseError(f"Anynet:Incomplete parse of the line: {line}")
    if len(net.router_nodes) != len(net.router_routers):
        raise ParseError("router maps differ")
    if sorted(net.node_router) != list(range(len(net.node_router))):
        raise ParseError("Anynet:booksim trafficmanager assumes sequential node numbering starting at 0")
    if sorted(net.router_routers) != list(range(len(net.router_routers))):
        raise ParseError("router numbers are not 0..n-1: _routers[] would be indexed out of range")
    return net


# -- SimAI ---------------------------------------------------------------------------------------------

SIMAI_GPU_TYPES = ("A100", "A800", "H100", "H800")  # anything else is GPUType::NONE
NS3_RATE = re.compile(r"([0-9]+(?:\.[0-9]+)?)(bps|Kbps|Mbps|Gbps|Tbps)\Z")
NS3_TIME = re.compile(r"([0-9]+(?:\.[0-9]+)?(?:e-?[0-9]+)?)(s|ms|us|ns|ps)\Z")
RATE_UNITS_GBPS = {"bps": 1e-9, "Kbps": 1e-6, "Mbps": 1e-3, "Gbps": 1.0, "Tbps": 1e3}


@dataclass
class SimaiTopology:
    node_num: int
    gpus_per_server: int
    gpu_type: str
    node_type: list[int]  # 0 GPU, 1 switch, 2 NVSwitch
    links: list[tuple[int, int, float, str, float]]  # src, dst, Gbps, delay, error rate


def read_simai(text: str) -> SimaiTopology:
    """SimAI's ``SetupNetwork`` (astra-sim-alibabacloud/astra-sim/network_frontend/ns3/common.h): stream
    extraction of the header, the NVSwitch and switch ids (``node_type[sid] = 2`` / ``1``), then
    ``link_num`` links ``src dst data_rate link_delay error_rate``; ns-3 parses the rate and delay
    strings (DataRate, Time). Ids must index ``node_type``; GPU and NVSwitch ids must fit
    ``node_id_to_ip`` (id / 256 < 256) and link i the subnet 10.(i/254+1).(i%254+1).0. Trailing
    tokens, which the reader would silently ignore, are an error here."""
    tokens = text.split()
    pos = 0

    def take() -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise ParseError("topology file ends early")
        pos += 1
        return tokens[pos - 1]

    node_num, gpus_per_server, nvswitch_num, switch_num, link_num = (int(take()) for _ in range(5))
    gpu_type = take()
    node_type = [0] * node_num
    for kind, count in ((2, nvswitch_num), (1, switch_num)):
        for _ in range(count):
            sid = int(take())
            if not 0 <= sid < node_num:
                raise ParseError(f"switch id {sid} outside 0..{node_num - 1}")
            node_type[sid] = kind
    links = []
    for i in range(link_num):
        src, dst, rate, delay, error = int(take()), int(take()), take(), take(), float(take())
        if not (0 <= src < node_num and 0 <= dst < node_num):
            raise ParseError(f"link {i}: {src} {dst} outside 0..{node_num - 1}")
        rate_match, delay_match = NS3_RATE.match(rate), NS3_TIME.match(delay)
        if not rate_match or not delay_match:
            raise ParseError(f"link {i}: {rate!r} or {delay!r} is not an ns-3 DataRate / Time")
        if i // 254 + 1 > 255:
            raise ParseError(f"link {i}: its subnet 10.{i // 254 + 1}.x.0 is not an IPv4 address")
        links.append((src, dst, float(rate_match[1]) * RATE_UNITS_GBPS[rate_match[2]], delay, error))
    if pos != len(tokens):
        raise ParseError(f"{len(tokens) - pos} tokens after the last link")
    for node, kind in enumerate(node_type):
        if kind != 1 and node // 256 >= 256:
            raise ParseError(f"node {node} has no node_id_to_ip address")
    return SimaiTopology(node_num, gpus_per_server, gpu_type, node_type, links)
