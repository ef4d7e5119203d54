# Writes the doctor fixtures of tests/doctor/fixtures/ in the documented formats: regedit
# exports (UTF-16LE with BOM as regedit writes them, and UTF-8), run history per RunHistory.xsd
# (lithnet/miis-client; step-details children in the schema's order), wevtutil qe /f:RenderedXml
# events, and the JSON readings of src/doctor/inputs/readings.rs. Run from anywhere:
#   python3 tests/doctor/make_fixtures.py
# then regenerate the goldens: UPDATE_EXPECTED=1 cargo test --test cli doctor
import os, json
from xml.sax.saxutils import escape
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
SYNC = r"C:\Program Files\Microsoft Forefront Identity Manager\2010\Synchronization Service" + "\\"

def reg_escape(s): return s.replace("\\", "\\\\").replace('"', '\\"')

def reg(version=None, sp3=False, gldap_value=False, display=True, product_version=True):
    L = ["Windows Registry Editor Version 5.00", ""]
    L += [r"[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\FIMSynchronizationService]",
          '"ObjectName"="CONTOSO\\\\svc-mimsync"',
          '"ImagePath"="\\"' + reg_escape(SYNC) + 'Bin\\\\miiserver.exe\\""', '"Start"=dword:00000002', ""]
    L += [r"[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\FIMSynchronizationService\Parameters]",
          '"Path"="' + reg_escape(SYNC) + '"', '"Server"="SQL01.contoso.com"', '"SQLInstance"=""',
          '"DBName"="FIMSynchronizationService"', ""]
    L += [r"[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Forefront Identity Manager\2010\Synchronization Service]",
          '"Location"="' + reg_escape(r"C:\Program Files\Microsoft Forefront Identity Manager\2010" + "\\") + '"']
    if gldap_value:
        L.append('"IgnoreMissingObjectTypeForGLDAP"=dword:00000001')
    L.append("")
    code = "{E38A2125-01B4-4CFF-B4F9-0E2DD61344E1}" if sp3 else "{5A7CB0A3-7AA2-4F40-8899-02B83694085F}"
    packed = "5212A83E4B10FFC44B9FE0D26D31441E" if sp3 else "3A0BC7A52AA704F48899208B634980F5"
    L += ["[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\" + code + "]",
          '"DisplayName"="Microsoft Identity Manager Synchronization Service"',
          '"Publisher"="Microsoft Corporation"',
          '"InstallSource"="D:\\\\Synchronization Service\\\\"']
    if display and version:
        L.append('"DisplayVersion"="%s"' % version)
    L += ['"InstallDate"="20240115"', ""]
    L += ["[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Installer\\UserData\\S-1-5-18\\Products\\" + packed + "\\InstallProperties]",
          '"DisplayName"="Microsoft Identity Manager Synchronization Service"']
    if product_version and version:
        L.append('"DisplayVersion"="%s"' % version)
    L += ['"LocalPackage"="C:\\\\Windows\\\\Installer\\\\1a2b3c.msi"', ""]
    return "\r\n".join(L) + "\r\n"

def write_reg(path, text, utf16):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        if utf16:
            f.write(b"\xff\xfe" + text.encode("utf-16-le"))
        else:
            f.write(text.encode("utf-8"))

def counters(names, detail="true"):
    return "".join("<%s detail=\"%s\">0</%s>" % (n, "false" if n in ("stage-no-change","disconnector-remains") else detail, n) for n in names)

STAGING = ["stage-no-change","stage-add","stage-update","stage-rename","stage-delete","stage-delete-add","stage-failure"]
INBOUND = ["disconnector-filtered","disconnector-joined-no-flow","disconnector-joined-flow","disconnector-joined-remove-mv","disconnector-projected-no-flow","disconnector-projected-flow","disconnector-projected-remove-mv","disconnector-remains","connector-filtered-remove-mv","connector-filtered-leave-mv","connector-flow","connector-flow-remove-mv","connector-no-flow","connector-delete-remove-mv","connector-delete-leave-mv","connector-delete-add-processed","flow-failure"]
EXPORT = ["export-add","export-update","export-rename","export-delete","export-delete-add","export-failure"]

def step(n, start, end, result, desc, conn="success", server="", import_errors="", export_errors="", discovery="", retry=""):
    c = "<ma-connection>" + ("<connection-result>%s</connection-result>" % conn if conn else "") + ("<server>%s</server>" % escape(server) if server else "") + "</ma-connection>"
    return ('<step-details step-number="%d" step-id="{8E5B%04d-1C2D-4E5F-8A9B-0C1D2E3F4A5B}">' % (n, n) +
        "<start-date>%s</start-date><end-date>%s</end-date><step-result>%s</step-result>" % (start, end, result) +
        "<step-description><step-type type=\"%s\"/></step-description>" % desc +
        "<current-export-step-counter>0</current-export-step-counter><last-successful-export-step-counter>0</last-successful-export-step-counter>" +
        c + "<ma-discovery-errors>%s</ma-discovery-errors><ma-discovery-counters/>" % discovery +
        "<synchronization-errors>%s%s</synchronization-errors><mv-retry-errors>%s</mv-retry-errors>" % (import_errors, export_errors, retry) +
        "<staging-counters>%s</staging-counters><inbound-flow-counters>%s</inbound-flow-counters><export-counters>%s</export-counters>" % (counters(STAGING), counters(INBOUND), counters(EXPORT)) +
        "</step-details>")

def run(ma_id, ma, number, profile, steps):
    return ("<run-details><ma-id>%s</ma-id><ma-name>%s</ma-name><run-number>%d</run-number><run-profile-name>%s</run-profile-name><security-id>CONTOSO\\svc-mimsync</security-id>" % (ma_id, escape(ma), number, escape(profile)) + "".join(steps) + "</run-details>")

STACK = ("System.NullReferenceException: Object reference not set to an instance of an object.\r\n"
 "   at Contoso.Mim.MVExtension.MVExtensionObject.ProvisionUser(MVEntry mventry, ConnectedMA adMA) in C:\\build\\Contoso.Mim\\MVExtension.cs:line 118\r\n"
 "   at Contoso.Mim.MVExtension.MVExtensionObject.Microsoft.MetadirectoryServices.IMVSynchronization.Provision(MVEntry mventry) in C:\\build\\Contoso.Mim\\MVExtension.cs:line 57\r\n"
 "   at Microsoft.MetadirectoryServices.Impl.ScriptHost.InvokeProvisioning(MVEntry mventry)")

def import_error(dn, guid, etype, step, first, date, ext=None, retry=0):
    x = '<import-error dn="%s" cs-guid="%s"><first-occurred>%s</first-occurred><retry-count>%d</retry-count><date-occurred>%s</date-occurred><error-type>%s</error-type><algorithm-step>%s</algorithm-step>' % (escape(dn, {'"':"&quot;"}), guid, first, retry, date, etype, step)
    if ext:
        x += "<extension-error-info><extension-name>%s</extension-name><extension-callsite>%s</extension-callsite><extension-context>%s</extension-context><call-stack>%s</call-stack></extension-error-info>" % ext
    return x + "</import-error>"

def export_error(dn, guid, etype, date, first, code=None, literal=None, detail=None, retry=0):
    x = '<export-error dn="%s" cs-guid="%s"><date-occurred>%s</date-occurred><first-occurred>%s</first-occurred><retry-count>%d</retry-count><error-type>%s</error-type>' % (escape(dn), guid, date, first, retry, etype)
    if code:
        x += "<cd-error><error-code>%s</error-code><error-literal>%s</error-literal>" % (code, escape(literal))
        if detail:
            x += "<server-error-detail>%s</server-error-detail>" % escape(detail)
        x += "</cd-error>"
    return x + "</export-error>"

AD = ("{4C2A0E1B-6B7D-4E2B-9A61-1F2E3D4C5B6A}", "Contoso AD")
FIM = ("{7D9E8F01-2A3B-4C5D-8E9F-0A1B2C3D4E5F}", "MIM Service")
HR = ("{1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D}", "HR SQL")
LDAP = ("{9F8E7D6C-5B4A-4392-8170-6F5E4D3C2B1A}", "OpenLDAP")

def t(day, h, m, s=0, ms=0): return "2026-11-%02d %02d:%02d:%02d.%03d" % (day, h, m, s, ms)

def history_faults():
    runs = []
    # Contoso AD: Delta Sync with an extension exception on the same object in every run, and
    # completed-sync-errors turned stopped-error-limit.
    ext = ("Contoso.Mim.MVExtension.dll", "provisioning", "Provision", STACK)
    bad = "CN=Jane Doe,OU=Staff,DC=contoso,DC=com"
    for i, day in enumerate([26, 27, 28, 29]):
        n = 101 + i * 2
        runs.append(run(*AD, n, "Full Import", [step(1, t(day, 1, 0), t(day, 1, 4, 12, 500), "success", "full-import", server="DC01.contoso.com")]))
        errs = import_error(bad, "{0B1C2D3E-4F50-4617-8293-A4B5C6D7E8F9}", "extension-dll-exception", "provisioning", t(26, 1, 5), t(day, 1, 5), ext, retry=i)
        status = "completed-sync-errors" if i < 3 else "stopped-error-limit"
        if i == 3:
            errs += import_error("CN=John Roe,OU=Staff,DC=contoso,DC=com", "{1C2D3E4F-5061-4728-93A4-B5C6D7E8F90A}", "extension-dll-exception", "provisioning", t(day, 1, 5), t(day, 1, 5), ext)
        runs.append(run(*AD, n + 1, "Delta Sync", [step(1, t(day, 1, 5), t(day, 1, 6, 3), status, "delta-sync", conn="", import_errors=errs)]))
    # Contoso AD export: kerberos time skew and an in-progress run left behind.
    runs.append(run(*AD, 109, "Export", [step(1, t(29, 1, 7), t(29, 1, 7, 40), "completed-export-errors", "export", server="DC01.contoso.com",
        export_errors=export_error("CN=Ann Lee,OU=Staff,DC=contoso,DC=com", "{2D3E4F50-6172-4839-A4B5-C6D7E8F90A1B}", "kerberos-time-skew", t(29, 1, 7, 30), t(29, 1, 7, 30)))]))
    runs.append(run(*AD, 110, "Full Import", [step(1, t(29, 9, 0), t(29, 9, 0), "in-progress", "full-import", server="DC01.contoso.com")]))
    runs.append(run(*AD, 111, "Delta Import", [step(1, t(30, 1, 0), t(30, 1, 1), "success", "delta-import", server="DC01.contoso.com")]))
    # MIM Service MA: failed-creation-via-web-services, stopped-server.
    ws = export_error("CN=9f1c2b3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c", "{3E4F5061-7283-494A-B5C6-D7E8F90A1B2C}", "failed-creation-via-web-services", t(30, 2, 0, 5), t(29, 2, 0, 5),
        "0x80230405", "Failed to create the object via web services.",
        "<AttributeFailureCode>ValueViolatesUniqueness</AttributeFailureCode><AttributeType>ObjectSID</AttributeType>", retry=1)
    runs.append(run(*FIM, 57, "Export", [step(1, t(29, 2, 0), t(29, 2, 0, 50), "completed-export-errors", "export", server="mimservice.contoso.com", export_errors=ws)]))
    runs.append(run(*FIM, 58, "Export", [step(1, t(30, 2, 0), t(30, 2, 1, 10), "stopped-server", "export", server="mimservice.contoso.com", export_errors=ws)]))
    runs.append(run(*FIM, 59, "Full Import", [step(1, t(30, 3, 0), t(30, 3, 0, 30), "completed-no-objects", "full-import", server="mimservice.contoso.com")]))
    # HR SQL: credentials, then discovery errors.
    runs.append(run(*HR, 12, "Full Import", [step(1, t(30, 4, 0), t(30, 4, 0, 2), "no-start-credentials", "full-import", conn="failed-authentication", server="SQL02")]))
    disc = '<ma-object-error><error-type>duplicate-object</error-type><dn>EMP-00417</dn><anchor>EMP-00417</anchor></ma-object-error>'
    runs.append(run(*HR, 13, "Full Import", [step(1, t(30, 5, 0), t(30, 5, 1), "completed-discovery-errors", "full-import", server="SQL02", discovery=disc)]))
    # OpenLDAP: a two-step profile, the second step stopped by the operator.
    runs.append(run(*LDAP, 8, "Full Import Full Sync", [step(1, t(30, 6, 0), t(30, 6, 3), "success", "full-import", server="ldap01.contoso.com"),
                                                      step(2, t(30, 6, 3), t(30, 6, 4), "stopped-user-termination-from-wmi-or-ui", "apply-rules", conn="")]))
    return '<?xml version="1.0" encoding="utf-8"?>\r\n<run-history>' + "".join(runs) + "</run-history>\r\n"

def history_clean():
    runs = []
    for i, day in enumerate([29, 30]):
        runs.append(run(*AD, 300 + i * 3, "Delta Import", [step(1, t(day, 1, 0), t(day, 1, 1), "success", "delta-import", server="DC01.contoso.com")]))
        runs.append(run(*AD, 301 + i * 3, "Delta Sync", [step(1, t(day, 1, 1), t(day, 1, 2), "success", "delta-sync", conn="")]))
        runs.append(run(*AD, 302 + i * 3, "Export", [step(1, t(day, 1, 2), t(day, 1, 3), "success", "export", server="DC01.contoso.com")]))
    runs.append(run(*FIM, 90, "Full Import", [step(1, t(30, 3, 0), t(30, 3, 0, 30), "completed-no-objects", "full-import", server="mimservice.contoso.com")]))
    return '<?xml version="1.0" encoding="utf-8"?>\r\n<run-history>' + "".join(runs) + "</run-history>\r\n"

def event(provider, eid, level, time, computer, rid, message=None, data=(), qualifiers="0", keywords="0x80000000000000"):
    x = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='%s'/><EventID Qualifiers='%s'>%d</EventID><Version>0</Version><Level>%d</Level><Task>0</Task><Opcode>0</Opcode><Keywords>%s</Keywords><TimeCreated SystemTime='%s'/><EventRecordID>%d</EventRecordID><Correlation/><Execution ProcessID='0' ThreadID='0'/><Channel>Application</Channel><Computer>%s</Computer><Security/></System>" % (provider, qualifiers, eid, level, keywords, time, rid, computer)
    x += "<EventData>" + "".join("<Data>%s</Data>" % escape(d) for d in data) + "</EventData>"
    if message:
        x += "<RenderingInfo Culture='en-US'><Message>%s</Message><Level>Error</Level><Task></Task><Opcode></Opcode><Channel></Channel><Provider></Provider><Keywords><Keyword>Classic</Keyword></Keywords></RenderingInfo>" % escape(message)
    return x + "</Event>"

M6025 = "The password change notification target could not be authenticated. Target: MIMSYNC01.contoso.com. Please verify that the SPN configuration and that the clocks on the two systems are synchronized."
M6947 = 'Assembly version in AAD Connector configuration ("1.1.1610.0") is earlier than the actual version ("1.1.2005.0") of "C:\\Program Files\\Microsoft Forefront Identity Manager\\2010\\Synchronization Service\\Extensions\\Microsoft.IAM.Connector.GenericLdap.dll".'

def events_dc():
    return "\r\n".join([
        event("PCNSSVC", 6025, 2, "2026-11-30T08:12:45.1234567Z", "DC01.contoso.com", 48211, M6025, qualifiers="49152"),
        event("PCNSSVC", 6025, 2, "2026-11-30T09:40:02.0000000Z", "DC02.contoso.com", 17002, M6025, qualifiers="49152"),
        event("PCNSSVC", 2001, 4, "2026-11-30T07:00:00.0000000Z", "DC01.contoso.com", 48100, "The Password Change Notification Service started."),
    ]) + "\r\n"

def events_sync():
    return "\r\n".join([
        event("FIMSynchronizationService", 6947, 3, "2026-11-28T10:00:00.0000000Z", "MIMSYNC01.contoso.com", 9120, M6947, qualifiers="32768"),
    ]) + "\r\n"

def files(sync, conns):
    f = [{"path": "Bin\\miiserver.exe", "version": sync}] if sync else []
    f += [{"path": "Extensions\\" + n, "version": v} for n, v in conns]
    return json.dumps({"files": f}, indent=2) + "\n"

def sql(faults):
    def mf(db, name, typ, path, size, growth, pct, maxs): return {"database": db, "name": name, "type_desc": typ, "physical_name": path, "size": size, "growth": growth, "is_percent_growth": pct, "max_size": maxs}
    if faults:
        m = [mf("tempdb", "tempdev", "ROWS", "D:\\MSSQL\\Data\\tempdb.mdf", 1024, 10, True, -1),
             mf("tempdb", "templog", "LOG", "D:\\MSSQL\\Data\\templog.ldf", 64, 64, False, 268435456),
             mf("FIMSynchronizationService", "FIMSynchronizationService", "ROWS", "E:\\MSSQL\\Data\\FIMSynchronizationService.mdf", 2621440, 10, True, -1),
             mf("FIMSynchronizationService", "FIMSynchronizationService_log", "LOG", "F:\\MSSQL\\Log\\FIMSynchronizationService_log.ldf", 131072, 128, False, 268435456)]
        return json.dumps({"server": "SQL01.contoso.com", "version": "Microsoft SQL Server 2019 (RTM-CU22) 15.0.4322.2 (X64)", "cpu_count": 4, "max_server_memory_mb": 2147483647,
            "master_files": m, "databases": [{"name": "FIMSynchronizationService", "recovery_model_desc": "FULL", "last_log_backup": None}, {"name": "tempdb", "recovery_model_desc": "SIMPLE", "last_log_backup": None}]}, indent=2) + "\n"
    m = [mf("tempdb", "tempdev%d" % i if i else "tempdev", "ROWS", "T:\\TempDB\\tempdb%d.ndf" % i, 131072, 65536, False, -1) for i in range(4)]
    m += [mf("tempdb", "templog", "LOG", "L:\\TempLog\\templog.ldf", 65536, 65536, False, 268435456),
          mf("FIMSynchronizationService", "FIMSynchronizationService", "ROWS", "E:\\MSSQL\\Data\\FIMSynchronizationService.mdf", 2621440, 131072, False, -1),
          mf("FIMSynchronizationService", "FIMSynchronizationService_log", "LOG", "F:\\MSSQL\\Log\\FIMSynchronizationService_log.ldf", 131072, 65536, False, 268435456)]
    return json.dumps({"server": "SQL01.contoso.com", "version": "Microsoft SQL Server 2019 (RTM-CU22) 15.0.4322.2 (X64)", "cpu_count": 4, "max_server_memory_mb": 12000,
        "master_files": m, "databases": [{"name": "FIMSynchronizationService", "recovery_model_desc": "SIMPLE", "last_log_backup": None}]}, indent=2) + "\n"

CONFIG_CUSTOM = '''<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <startup useLegacyV2RuntimeActivationPolicy="true">
    <supportedRuntime version="v4.0"/>
  </startup>
  <runtime>
    <assemblyBinding xmlns="urn:schemas-microsoft-com:asm.v1">
      <dependentAssembly>
        <assemblyIdentity name="Contoso.Mim.Common" publicKeyToken="0123456789abcdef" culture="neutral"/>
        <bindingRedirect oldVersion="1.0.0.0-2.0.0.0" newVersion="2.0.0.0"/>
      </dependentAssembly>
    </assemblyBinding>
  </runtime>
</configuration>
'''
CONFIG_STOCK = '''<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <runtime>
    <assemblyBinding xmlns="urn:schemas-microsoft-com:asm.v1">
      <dependentAssembly>
        <assemblyIdentity name="Microsoft.MetadirectoryServicesEx" publicKeyToken="31bf3856ad364e35" culture="neutral"/>
        <bindingRedirect oldVersion="0.0.0.0-4.1.0.0" newVersion="4.1.0.0"/>
      </dependentAssembly>
    </assemblyBinding>
  </runtime>
</configuration>
'''

def w(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode, newline="") as f: f.write(text)

# SP2 4.6.607.0: the faults of every step. The registry as regedit writes it (UTF-16LE).
d = root + "/sp2-4.6.607.0"
write_reg(d + "/registry.reg", reg("4.6.607.0"), True)
w(d + "/file-versions.json", files("4.6.607.0", [("Microsoft.IAM.Connector.GenericLdap.dll", "1.1.2005.0"), ("Microsoft.IAM.Connector.GenericSql.dll", "1.1.1610.0"), ("Contoso.Mim.MVExtension.dll", "1.4.0.0")]))
w(d + "/run-history.xml", history_faults())
w(d + "/events-dc.xml", events_dc())
w(d + "/events-sync.xml", events_sync())
w(d + "/sql.json", sql(True))
w(d + "/config/miiserver.exe.config", CONFIG_CUSTOM)
w(d + "/config/mmsscrpt.exe.config", CONFIG_STOCK)
# SP2 4.6.673.0: up to date, clean (UTF-8 export).
d = root + "/sp2-4.6.673.0"
write_reg(d + "/registry.reg", reg("4.6.673.0", gldap_value=True), False)
w(d + "/file-versions.json", files("4.6.673.0", [("Microsoft.IAM.Connector.GenericLdap.dll", "1.1.2057.0")]))
w(d + "/run-history.xml", history_clean())
w(d + "/sql.json", sql(False))
w(d + "/config/miiserver.exe.config", CONFIG_STOCK)
# SP3: the product code only (no SP3 build number is confirmed, so none is written).
d = root + "/sp3"
write_reg(d + "/registry.reg", reg(None, sp3=True), True)

