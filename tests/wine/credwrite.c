/* Test helper: writes one generic credential into the Windows credential store through
 * CredWriteW, as the keyring crate reads it (target "<user>.<service>", user name <user>, the
 * secret as UTF-16 bytes). Usage: credwrite SERVICE USER; the secret comes from the environment
 * variable MIM_CRED_SECRET, so that it appears on no command line. Exit 0 on success. */
#include <windows.h>
#include <wincred.h>
#include <wchar.h>

int wmain(int argc, wchar_t **argv)
{
    if (argc != 3)
        return 2;
    static WCHAR secret[1024], target[1024];
    DWORD n = GetEnvironmentVariableW(L"MIM_CRED_SECRET", secret, 1024);
    if (n == 0 || n >= 1024)
        return 3;
    _snwprintf(target, 1024, L"%ls.%ls", argv[2], argv[1]);
    CREDENTIALW c = {0};
    c.Type = CRED_TYPE_GENERIC;
    c.TargetName = target;
    c.UserName = argv[2];
    c.CredentialBlobSize = n * sizeof(WCHAR);
    c.CredentialBlob = (LPBYTE)secret;
    c.Persist = CRED_PERSIST_LOCAL_MACHINE;
    if (!CredWriteW(&c, 0))
        return 4;
    return 0;
}
