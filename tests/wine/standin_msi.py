#!/usr/bin/env python3
"""Writes the WiX source of a stand-in MSI for tests/wine/run.sh (built with wixl).

    standin_msi.py TAG OUT.wxs PLAN... [--fail]

The package declares every property that the msiexec steps of the given plans pass, and its
one component records each received value, as `[NAME]`, in the registry under
HKLM\\Software\\MimSetupStandIn\\TAG (wixl builds a 32-bit package: Wine puts it under
Wow6432Node). With --fail its launch condition is false, so msiexec ends with 1603 and a
`Return value 3` in its verbose log. The properties filled from secrets are listed in
MsiHiddenProperties, so that msiexec keeps their values out of its log. Property names come from the plans, never invented."""
import sys
import tomllib
import uuid
from xml.sax.saxutils import quoteattr


def properties(plans, msi_name):
    """The property names the plans pass to msi_name, and the features ADDLOCAL names."""
    names, features, hidden = [], [], []
    for path in plans:
        with open(path, "rb") as f:
            plan = tomllib.load(f)
        for step in plan.get("steps", []):
            if step.get("kind") != "msiexec" or msi_name not in step.get("argv", []):
                continue
            for prop in step.get("properties", []):
                if prop["name"] not in names:
                    names.append(prop["name"])
                if "{{secret:" in prop["value"] and prop["name"] not in hidden:
                    hidden.append(prop["name"])
                if prop["name"] == "ADDLOCAL":
                    features += [f for f in prop["value"].split(",") if f not in features]
    return names, features, hidden


def main():
    args = [a for a in sys.argv[1:] if a != "--fail"]
    fail = "--fail" in sys.argv[1:]
    tag, out, msi_name, plans = args[0], args[1], args[2], args[3:]
    names, features, hidden = properties(plans, msi_name)
    if not names:
        sys.exit(f"standin_msi.py: no msiexec step installs {msi_name!r} in {plans}")
    ns = uuid.UUID("6f1c2d4e-8a0b-4c3d-9e5f-7a6b5c4d3e2f")
    guid = lambda s: str(uuid.uuid5(ns, tag + s)).upper()
    key = f"Software\\MimSetupStandIn\\{tag}"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">',
        f'  <Product Id="*" Name={quoteattr("mim-setup stand-in " + tag)} Language="1033" '
        f'Version="1.0.0" Manufacturer="mim-setup tests" UpgradeCode="{guid("upgrade")}">',
        '    <Package InstallerVersion="200" Compressed="yes" InstallScope="perMachine"/>',
    ]
    # Properties filled from secrets are kept out of the verbose log (MsiHiddenProperties).
    if hidden:
        lines.append(f'    <Property Id="MsiHiddenProperties" Value={quoteattr(";".join(hidden))}/>')
    if fail:
        lines.append(
            '    <Condition Message="stand-in built to fail: this package never installs">0</Condition>'
        )
    lines += [
        '    <Directory Id="TARGETDIR" Name="SourceDir">',
        f'      <Component Id="Values" Guid="{guid("component")}">',
        f'        <RegistryValue Root="HKLM" Key={quoteattr(key)} Name="installed" Value="1" Type="string" KeyPath="yes"/>',
    ]
    for n in names:
        lines.append(
            f'        <RegistryValue Root="HKLM" Key={quoteattr(key)} Name={quoteattr(n)} Value={quoteattr("[" + n + "]")} Type="string"/>'
        )
    lines += [
        "      </Component>",
        "    </Directory>",
    ]
    for i, feature in enumerate(features or ["ALL"]):
        ref = '<ComponentRef Id="Values"/>' if i == 0 else ""
        lines.append(f'    <Feature Id={quoteattr(feature)} Level="1">{ref}</Feature>')
    lines += [
        "  </Product>",
        "</Wix>",
    ]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(names))


main()
