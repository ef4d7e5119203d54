/* A stand-in for a Windows program that Wine lacks or only stubs (miiskmu.exe, powershell.exe):
 * appends its own command line, as the program would receive it (GetCommandLineW), in UTF-8 and
 * one line per run, to C:\standin\calls.txt, followed by the arguments as CommandLineToArgvW
 * reads them, each after a 0x1F byte; then sleeps MIM_STANDIN_SLEEP seconds if set, and exits 0
 * (or the code in MIM_STANDIN_EXIT).
 * Built for Windows with mingw, run under Wine by tests/wine/run.sh. */
#include <windows.h>
#include <shellapi.h>
#include <stdlib.h>

static void put(HANDLE f, const WCHAR *text)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, text, -1, NULL, 0, NULL, NULL);
    char *utf8 = malloc(n > 0 ? n : 1);
    DWORD written;
    if (!utf8)
        return;
    WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8, n, NULL, NULL);
    WriteFile(f, utf8, (DWORD)strlen(utf8), &written, NULL);
    free(utf8);
}

int WINAPI wWinMain(HINSTANCE a, HINSTANCE b, PWSTR c, int d)
{
    (void)a; (void)b; (void)c; (void)d;
    const WCHAR *line = GetCommandLineW();
    int argc = 0;
    WCHAR **argv = CommandLineToArgvW(line, &argc);
    CreateDirectoryW(L"C:\\standin", NULL);
    HANDLE f = CreateFileW(L"C:\\standin\\calls.txt", FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE,
                           NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return 2;
    DWORD written;
    put(f, line);
    for (int i = 1; argv && i < argc; i++) {
        WriteFile(f, "\x1f", 1, &written, NULL);
        put(f, argv[i]);
    }
    WriteFile(f, "\n", 1, &written, NULL);
    CloseHandle(f);
    WCHAR code[16];
    if (GetEnvironmentVariableW(L"MIM_STANDIN_SLEEP", code, 16) > 0)
        Sleep((DWORD)_wtoi(code) * 1000);
    if (GetEnvironmentVariableW(L"MIM_STANDIN_EXIT", code, 16) > 0)
        return _wtoi(code);
    return 0;
}
