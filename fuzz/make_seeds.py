#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into fuzz/corpus/<target>/.

Seeds are small, valid inputs of every shape each parser reads, and a few broken ones; the fuzzer mutates them.
Run from anywhere: python3 fuzz/make_seeds.py. Needs Pillow (JPEG seeds) and eth-account (signed intents);
the CAR and DAG-PB seeds come from the IPFS fixtures under Tests/ContentAddressingTests/Fixtures.
"""
import io
import json
import os
import struct
import tarfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"


def put(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


# --- PNG: every colour type and bit depth libpng reads, interlaced or not --------------------------------------

def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png(width, height, depth, colour, interlace=0, palette=None, trns=None):
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    bits_per_row = width * channels * depth
    row_bytes = (bits_per_row + 7) // 8

    def rows(w, h):
        out = b""
        for y in range(h):
            row = bytes(((x * 37 + y * 11) * 7) & 0xFF for x in range((w * channels * depth + 7) // 8))
            if colour == 3:  # keep palette indices inside the palette
                row = bytes(b & ((1 << depth) - 1) if depth < 8 else b % len(palette) for b in row)
            out += bytes([y % 5]) + row  # every filter type
        return out

    if interlace:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        raw = b""
        for x0, y0, dx, dy in passes:
            w = (width - x0 + dx - 1) // dx if width > x0 else 0
            h = (height - y0 + dy - 1) // dy if height > y0 else 0
            if w and h:
                raw += rows(w, h)
    else:
        raw = rows(width, height)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace))
    if palette:
        out += chunk(b"PLTE", b"".join(bytes(c) for c in palette))
    if trns is not None:
        out += chunk(b"tRNS", trns)
    out += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    return out


def png_seeds():
    palette = [(i * 16, 255 - i * 16, (i * 73) & 0xFF) for i in range(16)]
    cases = [
        ("grey1", 9, 7, 1, 0, {}), ("grey2", 9, 7, 2, 0, {}), ("grey4", 9, 7, 4, 0, {}), ("grey8", 9, 7, 8, 0, {}),
        ("grey16", 9, 7, 16, 0, {}), ("rgb8", 9, 7, 8, 2, {}), ("rgb16", 9, 7, 16, 2, {}),
        ("palette4", 9, 7, 4, 3, {"palette": palette}), ("palette8-trns", 9, 7, 8, 3, {"palette": palette, "trns": bytes(range(0, 160, 10))}),
        ("greyalpha8", 9, 7, 8, 4, {}), ("greyalpha16", 9, 7, 16, 4, {}), ("rgba8", 9, 7, 8, 6, {}), ("rgba16", 5, 4, 16, 6, {}),
        ("grey-trns", 9, 7, 8, 0, {"trns": b"\x00\x10"}), ("rgb-trns", 9, 7, 8, 2, {"trns": b"\x00\x10\x00\x20\x00\x30"}),
    ]
    for name, w, h, depth, colour, extra in cases:
        put("png", name + ".png", png(w, h, depth, colour, **extra))
        put("png", name + "-adam7.png", png(w, h, depth, colour, interlace=1, **extra))
    whole = png(9, 7, 8, 2)
    put("png", "truncated.png", whole[: len(whole) // 2])
    bad_crc = bytearray(whole)
    bad_crc[30] ^= 0xFF
    put("png", "bad-crc.png", bytes(bad_crc))
    put("png", "no-idat.png", whole[:33] + chunk(b"IEND", b""))
    put("png", "huge-header.png", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 16, 6, 0, 0, 0)))
    for fixture in sorted((ROOT / "Tests/VisionTests/Fixtures/decoding").glob("*.png")):
        put("png", "fixture-" + fixture.name, fixture.read_bytes())


# --- JPEG: baseline and progressive, grey, YCbCr with each subsampling, CMYK, restart markers ------------------

def jpeg_seeds():
    from PIL import Image

    rgb = Image.new("RGB", (19, 13))
    rgb.putdata([((x * 13) & 0xFF, (y * 19) & 0xFF, ((x + y) * 7) & 0xFF) for y in range(13) for x in range(19)])
    variants = {
        "baseline-420": dict(subsampling=2), "baseline-422": dict(subsampling=1), "baseline-444": dict(subsampling=0),
        "progressive": dict(progressive=True), "restart": dict(restart_marker_blocks=1),
        "optimized": dict(optimize=True, quality=40),
    }
    for name, options in variants.items():
        out = io.BytesIO()
        rgb.save(out, "JPEG", **options)
        put("jpeg", name + ".jpg", out.getvalue())
    for mode, name in [("L", "grey"), ("CMYK", "cmyk")]:
        out = io.BytesIO()
        rgb.convert(mode).save(out, "JPEG")
        put("jpeg", name + ".jpg", out.getvalue())
    out = io.BytesIO()
    rgb.save(out, "JPEG", exif=b"Exif\x00\x00" + b"MM\x00\x2a\x00\x00\x00\x08" + b"\x00" * 40)
    put("jpeg", "exif.jpg", out.getvalue())
    whole = (CORPUS / "jpeg" / "baseline-420.jpg").read_bytes()
    put("jpeg", "truncated.jpg", whole[: len(whole) // 2])
    put("jpeg", "no-frame.jpg", b"\xff\xd8\xff\xd9")
    for fixture in sorted((ROOT / "Tests/VisionTests/Fixtures/decoding").glob("*.jpg")):
        put("jpeg", "fixture-" + fixture.name, fixture.read_bytes())


# --- COCO, YOLO, VOC --------------------------------------------------------------------------------------------

def coco_seeds():
    images = [
        {"id": 1, "file_name": "train/0001.png", "width": 640, "height": 480},
        {"id": 2, "file_name": "train/0002.jpg", "width": 320, "height": 240},
    ]
    categories = [{"id": 1, "name": "cat", "supercategory": "animal"}, {"id": 3, "name": "dog"}]
    annotations = [
        {"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 20, 100, 50], "area": 5000, "iscrowd": 0,
         "segmentation": [[10, 20, 110, 20, 110, 70, 10, 70]]},
        {"id": 2, "image_id": 2, "category_id": 3, "bbox": [0, 0, 4, 2], "area": 8, "iscrowd": 1,
         "segmentation": {"size": [240, 320], "counts": [0, 2, 238, 2, 238, 2, 238, 2, 76318]}},
        {"id": 3, "image_id": 1, "category_id": 3, "bbox": [1, 1, 2, 2], "area": 4, "iscrowd": 1,
         "segmentation": {"size": [480, 640], "counts": "PPo01O1O00000O2N0000001O00000O2N0Ab0"}},
    ]
    good = {"info": {"description": "seed"}, "images": images, "annotations": annotations, "categories": categories}
    put("coco", "valid.json", json.dumps(good, indent=1))
    put("coco", "boxes-only.json", json.dumps({"images": images, "categories": categories, "annotations": [
        {"id": 7, "image_id": 1, "category_id": 1, "bbox": [5.5, 6.25, 30, 40.75]}]}))
    broken = json.loads(json.dumps(good))
    broken["annotations"] += [
        {"id": 1, "image_id": 9, "category_id": 4, "bbox": [-5, 0, 0, 10]},
        {"id": 4, "image_id": 2, "category_id": 1, "bbox": [300, 200, 100, 100], "segmentation": [[1, 2, 3]]},
    ]
    broken["images"].append({"id": 2, "file_name": "../escape.png", "width": "wide", "height": -1})
    put("coco", "faults.json", json.dumps(broken))
    put("coco", "truncated.json", json.dumps(good)[:300])
    put("coco", "not-an-object.json", "[1, 2, 3]")
    put("coco", "unicode.json", json.dumps({"images": [{"id": 1, "file_name": "train/0001.png", "width": 1, "height": 1}],
                                            "categories": [{"id": 1, "name": "caf\u00e9 \ud83d\udc08"}], "annotations": []}))


def yolo_seeds():
    labels = b"0 0.5 0.5 0.25 0.25\n1 0.1 0.2 0.05 0.1\n"
    put("yolo", "names-list", b"path: .\ntrain: images/train\nnames: [cat, dog]\n\x00" + labels)
    put("yolo", "names-dict", b"names:\n  0: cat\n  1: 'dog'\n  2: \"bird\"\nnc: 3\n\x00" + labels)
    put("yolo", "names-block", b"# classes\nnames:\n  - cat\n  - dog\n\x00" + labels + b"2 0.5 0.5 1.2 0.1\n")
    put("yolo", "segments", b"names: [cat, dog]\n\x00" + b"0 0.1 0.1 0.5 0.1 0.5 0.5 0.1 0.5\n")
    put("yolo", "faults", b"names: {0: cat\n\x00" + b"7 0.5 0.5 nan 1\n0 0.5\n-1 1e999 0 0 0\n")
    put("yolo", "labels-only", labels)


def voc_seeds():
    good = """<?xml version="1.0"?>
<annotation>
  <folder>JPEGImages</folder><filename>0001.jpg</filename><path>/data/JPEGImages/0001.jpg</path>
  <size><width>640</width><height>480</height><depth>3</depth></size>
  <segmented>0</segmented>
  <object><name>cat</name><pose>Left</pose><truncated>0</truncated><difficult>0</difficult>
    <bndbox><xmin>10</xmin><ymin>20</ymin><xmax>110.5</xmax><ymax>70</ymax></bndbox></object>
  <object><name>dog</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>3</xmax><ymax>3</ymax></bndbox></object>
</annotation>
"""
    put("voc", "valid.xml", good)
    put("voc", "cdata.xml", good.replace("<name>dog</name>", "<name><![CDATA[dog & co]]></name>"))
    put("voc", "faults.xml", good.replace("<xmax>3</xmax>", "<xmax>-3</xmax>").replace("<width>640</width>", "<width>x</width>"))
    put("voc", "truncated.xml", good[:200])
    put("voc", "entity.xml", '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><annotation><filename>&e;</filename></annotation>')
    put("voc", "wrong-root.xml", "<html><body/></html>")


# --- tar ----------------------------------------------------------------------------------------------------------

def tar_seeds():
    image = png(3, 2, 8, 2)

    def archive(fmt, members):
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w", format=fmt) as tar:
            for name, data, kind in members:
                info = tarfile.TarInfo(name)
                info.mtime = 1_700_000_000
                if kind == "dir":
                    info.type = tarfile.DIRTYPE
                    tar.addfile(info)
                elif kind == "link":
                    info.type = tarfile.SYMTYPE
                    info.linkname = "/etc/passwd"
                    tar.addfile(info)
                else:
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
        return out.getvalue()

    files = [("images", None, "dir"), ("images/0001.png", image, "file"), ("labels.txt", b"0 0.5 0.5 0.1 0.1\n", "file")]
    put("tar", "ustar.tar", archive(tarfile.USTAR_FORMAT, files))
    put("tar", "gnu-long-name.tar", archive(tarfile.GNU_FORMAT, files + [("images/" + "n" * 150 + ".png", image, "file")]))
    put("tar", "pax-unicode.tar", archive(tarfile.PAX_FORMAT, files + [("images/caf\u00e9-" + "x" * 120 + ".png", image, "file")]))
    put("tar", "symlink.tar", archive(tarfile.USTAR_FORMAT, [("images/evil.png", None, "link")]))
    put("tar", "dotdot.tar", archive(tarfile.GNU_FORMAT, [("../outside.png", image, "file")]))
    put("tar", "not-an-image.tar", archive(tarfile.USTAR_FORMAT, [("images/0001.png", b"GIF89a....", "file")]))
    whole = archive(tarfile.USTAR_FORMAT, files)
    put("tar", "truncated.tar", whole[:700])
    bad = bytearray(whole)
    bad[150] ^= 0x01
    put("tar", "bad-checksum.tar", bytes(bad))


# --- CAR, DAG-PB, CIDs -------------------------------------------------------------------------------------------

def varint(data, offset):
    value, shift = 0, 0
    while True:
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, offset
        shift += 7


def car_sections(data):
    if data[:11] == bytes([0x0A, 0xA1, 0x67]) + b"version" + bytes([0x02]):
        offset, size = struct.unpack("<QQ", data[11 + 16:11 + 32])
        data = data[offset:offset + size]
    length, offset = varint(data, 0)
    offset += length
    while offset < len(data):
        length, start = varint(data, offset)
        yield data[start:start + length]
        offset = start + length


def content_seeds():
    fixtures = sorted((ROOT / "Tests/ContentAddressingTests/Fixtures").glob("*.car"))
    blocks = 0
    for fixture in fixtures:
        data = fixture.read_bytes()
        put("car", fixture.name, data)
        for section in car_sections(data):
            if section[:2] == b"\x12\x20":
                cid_length, codec = 34, 0x70
            else:
                _, offset = varint(section, 0)
                codec, offset = varint(section, offset)
                _, offset = varint(section, offset)
                digest_length, offset = varint(section, offset)
                cid_length = offset + digest_length
            if codec == 0x70 and blocks < 24:
                put("unixfs", f"{fixture.stem}-{blocks}.pb", section[cid_length:])
                blocks += 1
    first = fixtures[0].read_bytes()
    put("car", "truncated.car", first[: len(first) - 7])
    put("car", "header-only.car", bytes([0x11, 0xA2, 0x65]) + b"roots" + bytes([0x80, 0x67]) + b"version" + bytes([0x01]))
    put("unixfs", "empty-node.pb", b"")
    put("unixfs", "bad-wire-type.pb", bytes([0x0F, 0x01]))
    put("unixfs", "link-without-hash.pb", bytes([0x12, 0x03, 0x12, 0x01, 0x61]))

    cids = {
        "v0": "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n",
        "v1-base32": "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
        "v1-raw": "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
        "v1-base58": "zdj7WWeQ43G6JJvLWQWZpyHuAMq6uYWRjkBXFad11vE2LHhQ7",
        "v1-hex": "f01701220c3c4733ec8affd06cf9e9ff50ffc6bcd2ec85a6170004bb709669c31de94391a",
        "identity": "bafkqaaa",
        "upper-base32": "BAFYBEIGDYRZT5SFP7UDM7HU76UH7Y26NF3EFUYLQABF3OCLGTQY55FBZDI",
        "bad-multibase": "mAXASIMPEcz7Iwf0Gz56f9Q/8a80uyFphcABLtwlmnDHelDka",
        "bad-base58": "Qm0OIl" + "1" * 40,
        "version-2": "f02701220" + "00" * 32,
    }
    for name, text in cids.items():
        put("cid", name + ".txt", text)
    put("cid", "binary-v1", bytes.fromhex("01701220c3c4733ec8affd06cf9e9ff50ffc6bcd2ec85a6170004bb709669c31de94391a"))


# --- signed intents -------------------------------------------------------------------------------------------------

def intent_seeds():
    from eth_account import Account
    from eth_account.messages import encode_typed_data

    key = "0x" + "11" * 32
    account = Account.from_key(key).address
    domain = {"name": "Lightbox", "version": "1", "chainId": 31337,
              "verifyingContract": "0x00000000000000000000000000000000004c4258"}
    common = [{"name": "account", "type": "address"}, {"name": "nonce", "type": "uint256"}, {"name": "deadline", "type": "uint256"}]
    terms_fields = [("template", "string"), ("spdx", "string"), ("commercialUse", "bool"), ("aiTraining", "bool"),
                    ("derivatives", "bool"), ("redistribution", "bool"), ("attribution", "bool"), ("seats", "uint256"),
                    ("durationDays", "uint256"), ("territory", "string")]
    intents = {
        "Transfer": ([("to", "address"), ("amount", "uint256")], {"to": "0x" + "22" * 20, "amount": 1500}),
        "SetArbiter": ([("arbiter", "address"), ("active", "bool")], {"arbiter": "0x" + "33" * 20, "active": True}),
        "OpenDispute": ([("purchaseId", "uint256"), ("evidenceCid", "string")],
                        {"purchaseId": 4, "evidenceCid": "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"}),
        "Deliver": ([("purchaseId", "uint256"), ("sealedKey", "bytes")], {"purchaseId": 4, "sealedKey": b"\x01" * 48}),
        "Mint": ([("contentRoot", "string"), ("manifestCid", "string"), ("reportCid", "string"), ("reportHash", "bytes32"),
                  ("score", "uint256"), ("passed", "bool"), ("attestationKey", "bytes32"), ("attestation", "bytes"),
                  ("terms", "Terms"), ("price", "uint256"), ("royaltyBps", "uint256")],
                 {"contentRoot": "bafy-root", "manifestCid": "bafy-manifest", "reportCid": "bafy-report",
                  "reportHash": b"\x44" * 32, "score": 97, "passed": True, "attestationKey": b"\x55" * 32,
                  "attestation": b"\x66" * 64,
                  "terms": {"template": "research", "spdx": "CC-BY-4.0", "commercialUse": False, "aiTraining": True,
                            "derivatives": True, "redistribution": False, "attribution": True, "seats": 5,
                            "durationDays": 365, "territory": "worldwide"},
                  "price": 250000, "royaltyBps": 500}),
    }
    for nonce, (primary, (fields, values)) in enumerate(intents.items()):
        types = {primary: common + [{"name": n, "type": t} for n, t in fields]}
        if primary == "Mint":
            types["Terms"] = [{"name": n, "type": t} for n, t in terms_fields]
        message = {"account": account, "nonce": nonce, "deadline": 4_000_000_000, **values}
        signed = Account.sign_message(encode_typed_data(domain, types, message), key)

        def wire(value, kind):
            if kind in types:
                return {f["name"]: wire(value[f["name"]], f["type"]) for f in types[kind]}
            if kind.startswith("uint"):
                return str(value)
            if kind.startswith("bytes"):
                return "0x" + value.hex()
            return value

        body = {"primaryType": primary, "message": wire(message, primary), "signature": "0x" + signed.signature.hex().removeprefix("0x")}
        put("intent", primary + ".json", json.dumps(body, separators=(",", ":"), sort_keys=True))
    transfer = json.loads((CORPUS / "intent" / "Transfer.json").read_text())
    transfer["message"]["amount"] = "1501"
    put("intent", "tampered.json", json.dumps(transfer))
    del transfer["message"]["to"]
    put("intent", "missing-field.json", json.dumps(transfer))
    put("intent", "unknown-type.json", '{"primaryType":"Steal","message":{},"signature":"0x00"}')
    put("intent", "nested.json", "[" * 40 + "]" * 40)


# --- config files ---------------------------------------------------------------------------------------------------

def config_seeds():
    put("config", "example.json", (ROOT / "ops/lightbox.example.json").read_bytes())
    put("config", "flat.json", json.dumps({"http.port": 8080, "log.level": "debug", "uploads.max-files": 100,
                                           "storage.gateways": "http://127.0.0.1:8081", "ledger.dev-mode": False}))
    put("config", "nested.json", json.dumps({"http": {"host": "::1", "port": 0, "header-timeout": 10},
                                             "rate": {"client-per-second": 20.5, "client-burst": 40},
                                             "vision": {"memory-limit": "512MB"}}))
    put("config", "unknown-key.json", '{"http": {"prot": 80}}')
    put("config", "bad-value.json", '{"http.port": 70000, "log.level": "loud"}')
    put("config", "not-an-object.json", '["http.port", 80]')
    put("config", "truncated.json", '{"http": {"port": 80')


if __name__ == "__main__":
    png_seeds()
    jpeg_seeds()
    coco_seeds()
    yolo_seeds()
    voc_seeds()
    tar_seeds()
    content_seeds()
    intent_seeds()
    config_seeds()
    for target in sorted(CORPUS.iterdir()):
        print(f"{target.name}: {len(list(target.iterdir()))} seeds")
