# mim-setup install script, exported from an install plan. Review every step before
# running it.
# Plan: tests/golden/contoso-sync.plan.toml
# Component: sync (volume-license)
# Profile: profiles/contoso-sync.toml (sha256
# d40eb026cf70e59d55fc8e400b3dc9b953eb911ea2e63d5abfeb18627a517a83)
# Plan written by: mim-setup 0.1.0
# Exported by: mim-setup 0.1.0
#
# Run it in an elevated Windows PowerShell on the server, from the folder with the script:
#   powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\SCRIPT.ps1 [-LogDir FOLDER]
# [-FromStep N]
# It stops at the first step that fails and says why; msiexec logs go to -LogDir (default:
# mim-setup-logs beside the script). -FromStep N starts at step N, skipping the steps before it.
#
# Acknowledged warnings:
#   - service-account-logon-rights@service_account.name
#
# Notes of the plan:
#   - SQLServerStore: not publicly confirmed. private property; its use on the command line is
#     disputed (one source needed a transform). If setup ignores it, it follows STORESERVER.
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
#   sync_service_password: environment variable MIM_SYNC_PASSWORD
if ($FromStep -le 4) { $Secrets['sync_service_password'] = Read-PlanSecret -Name 'sync_service_password' -EnvName 'MIM_SYNC_PASSWORD' }

# ----------------------------------------------------------------------------------------------
# Step 1 of 5: install-sync-service (msiexec)
# Install the MIM Synchronization Service from D:\Synchronization Service, with the answers of the
# profile, silently, logging verbosely to the log folder. SERVICEPASSWORD is filled in from its
# secret reference just before the run; logs show it redacted.
# Plan command line: msiexec.exe /i "Synchronization Service.msi" /qn /L*v
# {{log_dir}}\install-sync-service.log ACCEPT_EULA=1 ADDLOCAL=ALL REBOOT=ReallySuppress
# INSTALLDIR="C:\Program Files\Microsoft Forefront Identity Manager\2010\"
# SQLServerStore=RemoteMachine STORESERVER=corpsql.contoso.com SQLDB=FIMSynchronizationService
# SERVICEACCOUNT=MIMSync SERVICEPASSWORD={{secret:sync_service_password}} SERVICEDOMAIN=contoso
# GROUPADMINS=contoso\MIMSyncAdmins GROUPOPERATORS=contoso\MIMSyncOperators
# GROUPACCOUNTJOINERS=contoso\MIMSyncJoiners GROUPBROWSE=contoso\MIMSyncBrowse
# GROUPPASSWORDSET=contoso\MIMSyncPasswordReset FIREWALL_CONF=1
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 1) { Write-Host '==> install-sync-service skipped (-FromStep).' } else {
$arguments = @(
    '/i'
    '"Synchronization Service.msi"'
    '/qn'
    '/L*v'
    (Format-WinArg ($LogDir + '\install-sync-service.log'))
    'ACCEPT_EULA=1'
    'ADDLOCAL=ALL'
    'REBOOT=ReallySuppress'
    'INSTALLDIR="C:\Program Files\Microsoft Forefront Identity Manager\2010\"'
    'SQLServerStore=RemoteMachine'
    'STORESERVER=corpsql.contoso.com'
    'SQLDB=FIMSynchronizationService'
    'SERVICEACCOUNT=MIMSync'
    ('SERVICEPASSWORD=' + (Format-MsiValue (Get-PlanSecretText 'sync_service_password')))
    'SERVICEDOMAIN=contoso'
    'GROUPADMINS=contoso\MIMSyncAdmins'
    'GROUPOPERATORS=contoso\MIMSyncOperators'
    'GROUPACCOUNTJOINERS=contoso\MIMSyncJoiners'
    'GROUPBROWSE=contoso\MIMSyncBrowse'
    'GROUPPASSWORDSET=contoso\MIMSyncPasswordReset'
    'FIREWALL_CONF=1'
)
Invoke-PlanStep -Step 1 -Id 'install-sync-service' -FilePath 'msiexec.exe' -Arguments $arguments -WorkingDirectory 'D:\Synchronization Service' -Log ($LogDir + '\install-sync-service.log') -Shown 'msiexec.exe /i "Synchronization Service.msi" /qn /L*v {{log_dir}}\install-sync-service.log ACCEPT_EULA=1 ADDLOCAL=ALL REBOOT=ReallySuppress INSTALLDIR="C:\Program Files\Microsoft Forefront Identity Manager\2010\" SQLServerStore=RemoteMachine STORESERVER=corpsql.contoso.com SQLDB=FIMSynchronizationService SERVICEACCOUNT=MIMSync SERVICEPASSWORD={{secret:sync_service_password}} SERVICEDOMAIN=contoso GROUPADMINS=contoso\MIMSyncAdmins GROUPOPERATORS=contoso\MIMSyncOperators GROUPACCOUNTJOINERS=contoso\MIMSyncJoiners GROUPBROWSE=contoso\MIMSyncBrowse GROUPPASSWORDSET=contoso\MIMSyncPasswordReset FIREWALL_CONF=1' -Msi
Remove-Variable -Name arguments
}

# ----------------------------------------------------------------------------------------------
# Step 2 of 5: verify-sync-service (command)
# Check that setup created the FIMSynchronizationService service before its encryption key is
# exported; sc.exe fails with 1060 when it does not exist, and the plan stops there.
# Plan command line: sc.exe query FIMSynchronizationService
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 2) { Write-Host '==> verify-sync-service skipped (-FromStep).' } else {
$arguments = @(
    'query'
    'FIMSynchronizationService'
)
Invoke-PlanStep -Step 2 -Id 'verify-sync-service' -FilePath 'sc.exe' -Arguments $arguments -Shown 'sc.exe query FIMSynchronizationService'
Remove-Variable -Name arguments
}

# ----------------------------------------------------------------------------------------------
# Step 3 of 5: create-key-backup-folder (command)
# Create the folder for the encryption key backup (C:\MIMBackup).
# Plan command line: powershell.exe -NoProfile -NonInteractive -Command "New-Item -ItemType
# Directory -Force -Path 'C:\MIMBackup' | Out-Null"
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 3) { Write-Host '==> create-key-backup-folder skipped (-FromStep).' } else {
$arguments = @(
    '-NoProfile'
    '-NonInteractive'
    '-Command'
    '"New-Item -ItemType Directory -Force -Path ''C:\MIMBackup'' | Out-Null"'
)
Invoke-PlanStep -Step 3 -Id 'create-key-backup-folder' -FilePath 'powershell.exe' -Arguments $arguments -Shown 'powershell.exe -NoProfile -NonInteractive -Command "New-Item -ItemType Directory -Force -Path ''C:\MIMBackup'' | Out-Null"'
Remove-Variable -Name arguments
}

# ----------------------------------------------------------------------------------------------
# Step 4 of 5: export-encryption-key (command)
# Back up the Synchronization Service encryption key to C:\MIMBackup\MIMSyncKey.bin. Setup only
# offers this in a dialog; without the key the service cannot be restored onto its database. Move
# the file off the server afterwards. The password is filled in from its secret reference just
# before the run; logs show it redacted.
# Plan command line: "C:\Program Files\Microsoft Forefront Identity Manager\2010\Synchronization
# Service\Bin\miiskmu.exe" /e C:\MIMBackup\MIMSyncKey.bin /u:contoso\MIMSync
# {{secret:sync_service_password}} /q
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 4) { Write-Host '==> export-encryption-key skipped (-FromStep).' } else {
$arguments = @(
    '/e'
    'C:\MIMBackup\MIMSyncKey.bin'
    '/u:contoso\MIMSync'
    (Format-WinArg (Get-PlanSecretText 'sync_service_password'))
    '/q'
)
Invoke-PlanStep -Step 4 -Id 'export-encryption-key' -FilePath 'C:\Program Files\Microsoft Forefront Identity Manager\2010\Synchronization Service\Bin\miiskmu.exe' -Arguments $arguments -Shown '"C:\Program Files\Microsoft Forefront Identity Manager\2010\Synchronization Service\Bin\miiskmu.exe" /e C:\MIMBackup\MIMSyncKey.bin /u:contoso\MIMSync {{secret:sync_service_password}} /q'
Remove-Variable -Name arguments
}

# ----------------------------------------------------------------------------------------------
# Step 5 of 5: sign-out-for-group-membership (by hand)
# Sign out and sign in again (as the installing account) so that the new group memberships take
# effect, as setup asks at the end.
# ----------------------------------------------------------------------------------------------
if ($FromStep -gt 5) { Write-Host '==> sign-out-for-group-membership skipped (-FromStep).' } else {
Write-Host '==> sign-out-for-group-membership (by hand): Sign out and sign in again (as the installing account) so that the new group memberships take effect, as setup asks at the end.'
Read-Host -Prompt 'Do this by hand, then press Enter to go on' | Out-Null
}

if ($script:RebootNeeded) {
    Write-Warning 'Restart the server now: setup asked for a restart.'
}
Write-Host 'All steps of the plan are done.'
