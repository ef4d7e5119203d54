# mim-setup install script, exported from an install plan. Review every step before
# running it.
# Plan: tests/golden/contoso-aadp-option-h.plan.toml
# Component: service-portal (azure-ad-premium)
# Profile: profiles/contoso-aadp-option-h.toml (sha256
# 8795a74d18c997c39d73b4511b398ba57e8b4745be43f85bbb60fea4519d5f70)
# Plan written by: mim-setup 0.1.0
# Exported by: mim-setup 0.1.0
# Deployment option: H: Group-managed service account + Office 365 application context
# authentication
#
# Run it in an elevated Windows PowerShell on the server, from the folder with the script:
#   powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\SCRIPT.ps1 [-LogDir FOLDER]
# [-FromStep N]
# It stops at the first step that fails and says why; msiexec logs go to -LogDir (default:
# mim-setup-logs beside the script). -FromStep N starts at step N, skipping the steps before it.
#
# Acknowledged warnings:
#   - mim-service-logon-rights@mim_service.name
#   - sspr-port-8080@registration.port
#
# Notes of the plan:
#   - Office 365: MAIL_SERVER is left out; the mailbox is reached in Exchange Online, and setup
#     takes the authentication method on its common services screen.
#   - install-service-portal runs without /qn: a silent run cannot answer what setup asks
#     interactively (see `interactive`), and the Azure AD Premium edition signs in to the tenant
#     in a window of its own.
#   - REGISTRATION_FIREWALL_CONF: not publicly confirmed. Sources spell it
#     REGISTRATION_FIREWALL_CONF or REGISTRATION_FIREWALL_CONFIG; if setup ignores it, the
#     post-install site check fails from another machine and the rule is added by hand.
#   - RESET_FIREWALL_CONF: not publicly confirmed. Sources spell it RESET_FIREWALL_CONF or
#     RESET_FIREWALL_CONFIG; if setup ignores it, the post-install site check fails from another
#     machine and the rule is added by hand.
#Requires -RunAsAdministrator

[CmdletBinding()]
param(
    # The plan's {{log_dir}}: the folder for msiexec logs.
    [string] $LogDir = (Join-Path $PSScriptRoot 'mim-setup-logs'),
    # Start at this step (see the 1618 message): the steps before it are skipped.
    [int] $FromStep = 1
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0
# msiexec resolves a relative log path against the package's folder: make it absolute here,
# against PowerShell's current location.
$LogDir = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($LogDir)
New-Item -ItemType Directory -Force -Path $LogDir | Out-Null
$script:RebootNeeded = $false
$Secrets = @{}

# One argument quoted the way CommandLineToArgvW reads it back (mim-setup's quote_arg).
function Format-WinArg([string] $Arg) {
    if ($Arg.Length -gt 0 -and $Arg.IndexOfAny([char[]]@(' ', "`t", '"', "`n")) -lt 0) { return $Arg }
    $sb = New-Object System.Text.StringBuilder
    [void]$sb.Append('"')
    $slashes = 0
    foreach ($c in $Arg.ToCharArray()) {
        if ($c -eq [char]'\') { $slashes++; continue }
        if ($c -eq [char]'"') { [void]$sb.Append('\' * ($slashes * 2 + 1)) } else { [void]$sb.Append('\' * $slashes) }
        [void]$sb.Append($c)
        $slashes = 0
    }
    [void]$sb.Append('\' * ($slashes * 2))
    [void]$sb.Append('"')
    $sb.ToString()
}

# An msiexec property value in double quotes, each " written twice (mim-setup's msi_property).
function Format-MsiValue([string] $Value) {
    if ($Value.IndexOfAny([char[]]@("`r", "`n", [char]0)) -ge 0) {
        throw 'A value holds a line break or NUL: msiexec cannot take it. Fix the secret or the plan.'
    }
    '"' + $Value.Replace('"', '""') + '"'
}

# A secret as SecureString: from the environment variable the plan names (when set and not
# empty), else asked for.
function Read-PlanSecret([string] $Name, [string] $EnvName) {
    if ($EnvName -and (Test-Path -LiteralPath "Env:$EnvName") -and (Get-Item -LiteralPath "Env:$EnvName").Value) {
        $secure = ConvertTo-SecureString -String (Get-Item -LiteralPath "Env:$EnvName").Value -AsPlainText -Force
        Write-Host "Secret $Name read from environment variable $EnvName."
        return $secure
    }
    Read-Host -AsSecureString -Prompt "Secret $Name"
}

# The clear text of a secret, only for the argument list of the step that needs it.
function Get-PlanSecretText([string] $Name) {
    $bstr = [Runtime.InteropServices.Marshal]::SecureStringToBSTR($Secrets[$Name])
    try { [Runtime.InteropServices.Marshal]::PtrToStringBSTR($bstr) }
    finally { [Runtime.InteropServices.Marshal]::ZeroFreeBSTR($bstr) }
}

# Runs one step and checks its exit code. $Shown is the plan's command line, placeholders and all.
function Invoke-PlanStep {
    param([int] $Step, [string] $Id, [string] $FilePath, [string[]] $Arguments, [string] $WorkingDirectory,
          [string] $Shown, [string] $Log, [switch] $Msi)
    Write-Host "==> $Id"
    Write-Host "    $Shown"
    $start = @{ FilePath = $FilePath; Wait = $true; PassThru = $true; NoNewWindow = $true }
    if ($Arguments.Count -gt 0) { $start.ArgumentList = ($Arguments -join ' ') }
    if ($WorkingDirectory) { $start.WorkingDirectory = $WorkingDirectory }
    $code = (Start-Process @start).ExitCode
    if ($code -eq 0) { Write-Host "    $Id done."; return }
    if ($Msi -and ($code -eq 3010 -or $code -eq 1641)) {
        $script:RebootNeeded = $true
        Write-Warning "$Id done; setup asks for a restart (exit code $code). Restart when the script ends."
        return
    }
    if ($Msi -and $code -eq 1618) {
        throw "$Id did not run: another installation is in progress (exit code 1618). Wait for it to finish (or restart the server), then run this script again from this step: -FromStep $Step."
    }
    if ($Msi) {
        throw "$Id failed with exit code $code. Read the log $Log around 'Return value 3'."
    }
    throw "$Id failed with exit code $code."
}

# Secrets, by the references of the plan's [secrets] (never values). Each is read
# now as SecureString and used in clear only in the arguments of its step.
#   mailbox_app_client_secret: environment variable MIM_APP_CLIENT_SECRET
#     (not read: no command uses it; setup's screen asks for it)
#   sspr_registration_password: environment variable MIM_SSPR_REGISTRATION_PASSWORD
if ($FromStep -le 1) { $Secrets['sspr_registration_password'] = Read-PlanSecret -Name 'sspr_registration_password' -EnvName 'MIM_SSPR_REGISTRATION_PASSWORD' }
#   sspr_reset_password: environment variable MIM_SSPR_RESET_PASSWORD
if ($FromStep -le 1) { $Secrets['sspr_reset_password'] = Read-PlanSecret -Name 'sspr_reset_password' -EnvName 'MIM_SSPR_RESET_PASSWORD' }

# ----------------------------------------------------------------------------------------------
# Step 1 of 11: install-service-portal (msiexec)
# Install the MIM Service and Portal components CommonServices, WebPortals, RegistrationPortal,
# ResetPortal from D:\Service and Portal, with the answers of the profile, logging verbosely to
# the log folder. Setup runs with its screens (no /qn): 8 answer(s) have no publicly known
# property, so enter them as the plan's `interactive` list gives them; every other screen is
# pre-filled by the properties. The secret placeholders (sspr_registration_password,
# sspr_reset_password) are filled in from their references just before the run; logs show them
# redacted.
# Plan command line: msiexec.exe /i "Service and Portal.msi" /L*v
# {{log_dir}}\install-service-portal.log ACCEPT_EULA=1
# ADDLOCAL="CommonServices,WebPortals,RegistrationPortal,ResetPortal" SQMOPTINSETTING=0
# INSTALLDIR="C:\Program Files\Microsoft Forefront Identity Manager\2010\"
# SQLSERVER_SERVER=corpsql.contoso.com SQLSERVER_DATABASE=FIMService EXISTINGDATABASE=0
# MAIL_SERVER_IS_EXCHANGE_ONLINE=1 CERTIFICATE_NAME=ForefrontIdentityManager
# SERVICE_ACCOUNT_NAME=svcMIMService$ USE_MANAGED_ACCOUNT_FOR_SERVICE=1
# SERVICE_ACCOUNT_DOMAIN=contoso SERVICE_ACCOUNT_EMAIL=MIMService@contoso.onmicrosoft.com
# SYNCHRONIZATION_SERVER=mim.contoso.com SYNCHRONIZATION_SERVER_ACCOUNT=contoso\MIMSyncGMSAsvc$
# RMS_PORT=5725 STS_PORT=5726 FIREWALL_CONF=1 SERVICEADDRESS=mim.contoso.com
# SHAREPOINT_URL=http://mim.contoso.com SHAREPOINTUSERS_CONF=1
# REGISTRATION_PORTAL_URL=http://mim.contoso.com:8080 REGISTRATION_ACCOUNT=contoso\svcMIMSSPR
# REGISTRATION_ACCOUNT_PASSWORD={{secret:sspr_registration_password}}
# REGISTRATION_HOSTNAME=mim.contoso.com REGISTRATION_PORT=8080
# REGISTRATION_SERVERNAME=mim.contoso.com IS_REGISTRATION_EXTRANET=None
# REGISTRATION_FIREWALL_CONF=1 RESET_ACCOUNT=contoso\svcMIMSSPRReset
# RESET_ACCOUNT_PASSWORD={{secret:sspr_reset_password}} RESET_HOSTNAME=mim.contoso.com
# RESET_PORT=8088 RESET_SERVERNAME=mim.contoso.com IS_RESET_EXTRANET=Extranet
# RESET_FIREWALL_CONF=1
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 1) { Write-Host '==> install-service-portal skipped (-FromStep).' } else {
# Setup asks for these on its screens (no public property name is known):
Write-Host 'install-service-portal: setup asks for these on its screens:'
#   Azure cloud instance: Azure AD (global)
Write-Host '  Azure cloud instance: Azure AD (global)'
#   Azure AD user for the subscription check (its password is typed in setup's sign-in window):
# miminstall@contoso.onmicrosoft.com (tenant contoso.onmicrosoft.com)
Write-Host '  Azure AD user for the subscription check (its password is typed in setup''s sign-in window): miminstall@contoso.onmicrosoft.com (tenant contoso.onmicrosoft.com)'
#   Mail server type: Office 365
Write-Host '  Mail server type: Office 365'
#   Authentication method: Application Context Authentication
Write-Host '  Authentication method: Application Context Authentication'
#   Use Group Managed Service Account: ticked
Write-Host '  Use Group Managed Service Account: ticked'
#   Application ID: 3f2504e0-4f89-41d3-9a0c-0305e82c3301
Write-Host '  Application ID: 3f2504e0-4f89-41d3-9a0c-0305e82c3301'
#   Tenant ID: 9188040d-6c67-4c5b-b112-36a304b66dad
Write-Host '  Tenant ID: 9188040d-6c67-4c5b-b112-36a304b66dad'
#   Client secret (the value of this reference): the value of the secret mailbox_app_client_secret
# (environment variable MIM_APP_CLIENT_SECRET)
Write-Host '  Client secret (the value of this reference): the value of the secret mailbox_app_client_secret (environment variable MIM_APP_CLIENT_SECRET)'
$arguments = @(
    '/i'
    '"Service and Portal.msi"'
    '/L*v'
    (Format-WinArg ($LogDir + '\install-service-portal.log'))
    'ACCEPT_EULA=1'
    'ADDLOCAL="CommonServices,WebPortals,RegistrationPortal,ResetPortal"'
    'SQMOPTINSETTING=0'
    'INSTALLDIR="C:\Program Files\Microsoft Forefront Identity Manager\2010\"'
    'SQLSERVER_SERVER=corpsql.contoso.com'
    'SQLSERVER_DATABASE=FIMService'
    'EXISTINGDATABASE=0'
    'MAIL_SERVER_IS_EXCHANGE_ONLINE=1'
    'CERTIFICATE_NAME=ForefrontIdentityManager'
    'SERVICE_ACCOUNT_NAME=svcMIMService$'
    'USE_MANAGED_ACCOUNT_FOR_SERVICE=1'
    'SERVICE_ACCOUNT_DOMAIN=contoso'
    'SERVICE_ACCOUNT_EMAIL=MIMService@contoso.onmicrosoft.com'
    'SYNCHRONIZATION_SERVER=mim.contoso.com'
    'SYNCHRONIZATION_SERVER_ACCOUNT=contoso\MIMSyncGMSAsvc$'
    'RMS_PORT=5725'
    'STS_PORT=5726'
    'FIREWALL_CONF=1'
    'SERVICEADDRESS=mim.contoso.com'
    'SHAREPOINT_URL=http://mim.contoso.com'
    'SHAREPOINTUSERS_CONF=1'
    'REGISTRATION_PORTAL_URL=http://mim.contoso.com:8080'
    'REGISTRATION_ACCOUNT=contoso\svcMIMSSPR'
    ('REGISTRATION_ACCOUNT_PASSWORD=' + (Format-MsiValue (Get-PlanSecretText 'sspr_registration_password')))
    'REGISTRATION_HOSTNAME=mim.contoso.com'
    'REGISTRATION_PORT=8080'
    'REGISTRATION_SERVERNAME=mim.contoso.com'
    'IS_REGISTRATION_EXTRANET=None'
    'REGISTRATION_FIREWALL_CONF=1'
    'RESET_ACCOUNT=contoso\svcMIMSSPRReset'
    ('RESET_ACCOUNT_PASSWORD=' + (Format-MsiValue (Get-PlanSecretText 'sspr_reset_password')))
    'RESET_HOSTNAME=mim.contoso.com'
    'RESET_PORT=8088'
    'RESET_SERVERNAME=mim.contoso.com'
    'IS_RESET_EXTRANET=Extranet'
    'RESET_FIREWALL_CONF=1'
)
Invoke-PlanStep -Step 1 -Id 'install-service-portal' -FilePath 'msiexec.exe' -Arguments $arguments -WorkingDirectory 'D:\Service and Portal' -Log ($LogDir + '\install-service-portal.log') -Shown 'msiexec.exe /i "Service and Portal.msi" /L*v {{log_dir}}\install-service-portal.log ACCEPT_EULA=1 ADDLOCAL="CommonServices,WebPortals,RegistrationPortal,ResetPortal" SQMOPTINSETTING=0 INSTALLDIR="C:\Program Files\Microsoft Forefront Identity Manager\2010\" SQLSERVER_SERVER=corpsql.contoso.com SQLSERVER_DATABASE=FIMService EXISTINGDATABASE=0 MAIL_SERVER_IS_EXCHANGE_ONLINE=1 CERTIFICATE_NAME=ForefrontIdentityManager SERVICE_ACCOUNT_NAME=svcMIMService$ USE_MANAGED_ACCOUNT_FOR_SERVICE=1 SERVICE_ACCOUNT_DOMAIN=contoso SERVICE_ACCOUNT_EMAIL=MIMService@contoso.onmicrosoft.com SYNCHRONIZATION_SERVER=mim.contoso.com SYNCHRONIZATION_SERVER_ACCOUNT=contoso\MIMSyncGMSAsvc$ RMS_PORT=5725 STS_PORT=5726 FIREWALL_CONF=1 SERVICEADDRESS=mim.contoso.com SHAREPOINT_URL=http://mim.contoso.com SHAREPOINTUSERS_CONF=1 REGISTRATION_PORTAL_URL=http://mim.contoso.com:8080 REGISTRATION_ACCOUNT=contoso\svcMIMSSPR REGISTRATION_ACCOUNT_PASSWORD={{secret:sspr_registration_password}} REGISTRATION_HOSTNAME=mim.contoso.com REGISTRATION_PORT=8080 REGISTRATION_SERVERNAME=mim.contoso.com IS_REGISTRATION_EXTRANET=None REGISTRATION_FIREWALL_CONF=1 RESET_ACCOUNT=contoso\svcMIMSSPRReset RESET_ACCOUNT_PASSWORD={{secret:sspr_reset_password}} RESET_HOSTNAME=mim.contoso.com RESET_PORT=8088 RESET_SERVERNAME=mim.contoso.com IS_RESET_EXTRANET=Extranet RESET_FIREWALL_CONF=1' -Msi
Remove-Variable -Name arguments
}

# ----------------------------------------------------------------------------------------------
# Step 2 of 11: verify-mim-service (command)
# Show the state of the FIMService service (the MIM Service); sc.exe fails with 1060 when setup
# did not create it.
# Plan command line: sc.exe query FIMService
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 2) { Write-Host '==> verify-mim-service skipped (-FromStep).' } else {
$arguments = @(
    'query'
    'FIMService'
)
Invoke-PlanStep -Step 2 -Id 'verify-mim-service' -FilePath 'sc.exe' -Arguments $arguments -Shown 'sc.exe query FIMService'
Remove-Variable -Name arguments
}

# ----------------------------------------------------------------------------------------------
# Step 3 of 11: verify-firewall-rule-sts (command)
# Check that the inbound firewall rule "Forefront Identity Manager Service (STS)" exists (TCP 5725
# and 5726); netsh fails when it does not.
# Plan command line: netsh.exe advfirewall firewall show rule "name=Forefront Identity Manager
# Service (STS)"
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 3) { Write-Host '==> verify-firewall-rule-sts skipped (-FromStep).' } else {
$arguments = @(
    'advfirewall'
    'firewall'
    'show'
    'rule'
    '"name=Forefront Identity Manager Service (STS)"'
)
Invoke-PlanStep -Step 3 -Id 'verify-firewall-rule-sts' -FilePath 'netsh.exe' -Arguments $arguments -Shown 'netsh.exe advfirewall firewall show rule "name=Forefront Identity Manager Service (STS)"'
Remove-Variable -Name arguments
}

# ----------------------------------------------------------------------------------------------
# Step 4 of 11: verify-firewall-rule-webservice (command)
# Check that the inbound firewall rule "Forefront Identity Manager Service (Webservice)" exists
# (TCP 5725 and 5726); netsh fails when it does not.
# Plan command line: netsh.exe advfirewall firewall show rule "name=Forefront Identity Manager
# Service (Webservice)"
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 4) { Write-Host '==> verify-firewall-rule-webservice skipped (-FromStep).' } else {
$arguments = @(
    'advfirewall'
    'firewall'
    'show'
    'rule'
    '"name=Forefront Identity Manager Service (Webservice)"'
)
Invoke-PlanStep -Step 4 -Id 'verify-firewall-rule-webservice' -FilePath 'netsh.exe' -Arguments $arguments -Shown 'netsh.exe advfirewall firewall show rule "name=Forefront Identity Manager Service (Webservice)"'
Remove-Variable -Name arguments
}

# ----------------------------------------------------------------------------------------------
# Step 5 of 11: verify-portal (command)
# Open the MIM Portal at http://mim.contoso.com/identitymanagement as the installing user (Windows
# authentication) and fail unless it answers 200. The first visit can take a while.
# Plan command line: powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference =
# 'Stop'; $r = Invoke-WebRequest -Uri 'http://mim.contoso.com/identitymanagement'
# -UseDefaultCredentials -UseBasicParsing -TimeoutSec 300; if ($r.StatusCode -ne 200) { throw
# \"the portal answered $($r.StatusCode)\" }"
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 5) { Write-Host '==> verify-portal skipped (-FromStep).' } else {
$arguments = @(
    '-NoProfile'
    '-NonInteractive'
    '-Command'
    '"$ErrorActionPreference = ''Stop''; $r = Invoke-WebRequest -Uri ''http://mim.contoso.com/identitymanagement'' -UseDefaultCredentials -UseBasicParsing -TimeoutSec 300; if ($r.StatusCode -ne 200) { throw \"the portal answered $($r.StatusCode)\" }"'
)
Invoke-PlanStep -Step 5 -Id 'verify-portal' -FilePath 'powershell.exe' -Arguments $arguments -Shown 'powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference = ''Stop''; $r = Invoke-WebRequest -Uri ''http://mim.contoso.com/identitymanagement'' -UseDefaultCredentials -UseBasicParsing -TimeoutSec 300; if ($r.StatusCode -ne 200) { throw \"the portal answered $($r.StatusCode)\" }"'
Remove-Variable -Name arguments
}

# ----------------------------------------------------------------------------------------------
# Step 6 of 11: add-portal-to-local-intranet (command)
# Add http://mim.contoso.com to the Local intranet zone (zone 1) for the installing user, so that
# the browser signs in to the portal with Windows authentication. This is per user: for every
# user, assign the site to zone 1 with the Group Policy "Site to Zone Assignment List".
# Plan command line: powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference =
# 'Stop'; New-Item -Path 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Internet
# Settings\ZoneMap\Domains\contoso.com\mim' -Force | Out-Null; Set-ItemProperty -Path
# 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Internet
# Settings\ZoneMap\Domains\contoso.com\mim' -Name 'http' -Value 1 -Type DWord"
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 6) { Write-Host '==> add-portal-to-local-intranet skipped (-FromStep).' } else {
$arguments = @(
    '-NoProfile'
    '-NonInteractive'
    '-Command'
    '"$ErrorActionPreference = ''Stop''; New-Item -Path ''HKCU:\Software\Microsoft\Windows\CurrentVersion\Internet Settings\ZoneMap\Domains\contoso.com\mim'' -Force | Out-Null; Set-ItemProperty -Path ''HKCU:\Software\Microsoft\Windows\CurrentVersion\Internet Settings\ZoneMap\Domains\contoso.com\mim'' -Name ''http'' -Value 1 -Type DWord"'
)
Invoke-PlanStep -Step 6 -Id 'add-portal-to-local-intranet' -FilePath 'powershell.exe' -Arguments $arguments -Shown 'powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference = ''Stop''; New-Item -Path ''HKCU:\Software\Microsoft\Windows\CurrentVersion\Internet Settings\ZoneMap\Domains\contoso.com\mim'' -Force | Out-Null; Set-ItemProperty -Path ''HKCU:\Software\Microsoft\Windows\CurrentVersion\Internet Settings\ZoneMap\Domains\contoso.com\mim'' -Name ''http'' -Value 1 -Type DWord"'
Remove-Variable -Name arguments
}

# ----------------------------------------------------------------------------------------------
# Step 7 of 11: untick-intranet-compatibility-view (by hand)
# By hand, in Internet Explorer: Settings, Compatibility View settings, untick "Display intranet
# sites in Compatibility View" and close the dialog (Azure AD Premium walkthrough).
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 7) { Write-Host '==> untick-intranet-compatibility-view skipped (-FromStep).' } else {
Write-Host '==> untick-intranet-compatibility-view (by hand): By hand, in Internet Explorer: Settings, Compatibility View settings, untick "Display intranet sites in Compatibility View" and close the dialog (Azure AD Premium walkthrough).'
Read-Host -Prompt 'Do this by hand, then press Enter to go on' | Out-Null
}

# ----------------------------------------------------------------------------------------------
# Step 8 of 11: enable-own-attributes-mpr (by hand)
# By hand, in the MIM Portal (http://mim.contoso.com/identitymanagement): click Management Policy
# Rules, search for "User management: Users can read attributes of their own", select it, untick
# "Policy is disabled", click OK, then Submit. Without it users cannot see their own entry. There
# is no setup option for it.
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 8) { Write-Host '==> enable-own-attributes-mpr skipped (-FromStep).' } else {
Write-Host '==> enable-own-attributes-mpr (by hand): By hand, in the MIM Portal (http://mim.contoso.com/identitymanagement): click Management Policy Rules, search for "User management: Users can read attributes of their own", select it, untick "Policy is disabled", click OK, then Submit. Without it users cannot see their own entry. There is no setup option for it.'
Read-Host -Prompt 'Do this by hand, then press Enter to go on' | Out-Null
}

# ----------------------------------------------------------------------------------------------
# Step 9 of 11: verify-registration-portal (command)
# Check that the Password Registration Portal answers at http://mim.contoso.com:8080/ (any HTTP
# answer, 401 included, means the IIS site runs).
# Plan command line: powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference =
# 'Stop'; try { Invoke-WebRequest -Uri 'http://mim.contoso.com:8080/' -UseBasicParsing -TimeoutSec
# 60 | Out-Null } catch { if (-not $_.Exception.Response) { throw } }"
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 9) { Write-Host '==> verify-registration-portal skipped (-FromStep).' } else {
$arguments = @(
    '-NoProfile'
    '-NonInteractive'
    '-Command'
    '"$ErrorActionPreference = ''Stop''; try { Invoke-WebRequest -Uri ''http://mim.contoso.com:8080/'' -UseBasicParsing -TimeoutSec 60 | Out-Null } catch { if (-not $_.Exception.Response) { throw } }"'
)
Invoke-PlanStep -Step 9 -Id 'verify-registration-portal' -FilePath 'powershell.exe' -Arguments $arguments -Shown 'powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference = ''Stop''; try { Invoke-WebRequest -Uri ''http://mim.contoso.com:8080/'' -UseBasicParsing -TimeoutSec 60 | Out-Null } catch { if (-not $_.Exception.Response) { throw } }"'
Remove-Variable -Name arguments
}

# ----------------------------------------------------------------------------------------------
# Step 10 of 11: verify-reset-portal (command)
# Check that the Password Reset Portal answers at http://mim.contoso.com:8088/ (any HTTP answer,
# 401 included, means the IIS site runs).
# Plan command line: powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference =
# 'Stop'; try { Invoke-WebRequest -Uri 'http://mim.contoso.com:8088/' -UseBasicParsing -TimeoutSec
# 60 | Out-Null } catch { if (-not $_.Exception.Response) { throw } }"
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 10) { Write-Host '==> verify-reset-portal skipped (-FromStep).' } else {
$arguments = @(
    '-NoProfile'
    '-NonInteractive'
    '-Command'
    '"$ErrorActionPreference = ''Stop''; try { Invoke-WebRequest -Uri ''http://mim.contoso.com:8088/'' -UseBasicParsing -TimeoutSec 60 | Out-Null } catch { if (-not $_.Exception.Response) { throw } }"'
)
Invoke-PlanStep -Step 10 -Id 'verify-reset-portal' -FilePath 'powershell.exe' -Arguments $arguments -Shown 'powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference = ''Stop''; try { Invoke-WebRequest -Uri ''http://mim.contoso.com:8088/'' -UseBasicParsing -TimeoutSec 60 | Out-Null } catch { if (-not $_.Exception.Response) { throw } }"'
Remove-Variable -Name arguments
}

# ----------------------------------------------------------------------------------------------
# Step 11 of 11: verify-domain-network (command)
# Check, as the walkthrough's last step does in Network and Sharing Center, that an active network
# connection of this server is a Domain network (the domain's network, not Public or Private);
# fail when none is.
# Plan command line: powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference =
# 'Stop'; $d = @(Get-NetConnectionProfile | Where-Object { $_.NetworkCategory -eq
# 'DomainAuthenticated' }); if ($d.Count -eq 0) { throw 'no active network connection is a Domain
# network' }; $d | Format-Table -AutoSize Name, InterfaceAlias, NetworkCategory"
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 11) { Write-Host '==> verify-domain-network skipped (-FromStep).' } else {
$arguments = @(
    '-NoProfile'
    '-NonInteractive'
    '-Command'
    '"$ErrorActionPreference = ''Stop''; $d = @(Get-NetConnectionProfile | Where-Object { $_.NetworkCategory -eq ''DomainAuthenticated'' }); if ($d.Count -eq 0) { throw ''no active network connection is a Domain network'' }; $d | Format-Table -AutoSize Name, InterfaceAlias, NetworkCategory"'
)
Invoke-PlanStep -Step 11 -Id 'verify-domain-network' -FilePath 'powershell.exe' -Arguments $arguments -Shown 'powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference = ''Stop''; $d = @(Get-NetConnectionProfile | Where-Object { $_.NetworkCategory -eq ''DomainAuthenticated'' }); if ($d.Count -eq 0) { throw ''no active network connection is a Domain network'' }; $d | Format-Table -AutoSize Name, InterfaceAlias, NetworkCategory"'
Remove-Variable -Name arguments
}

if ($script:RebootNeeded) {
    Write-Warning 'Restart the server now: setup asked for a restart.'
}
Write-Host 'All steps of the plan are done.'
