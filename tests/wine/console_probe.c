/* What the console gives a program waiting for keys, as crossterm waits on Windows: it opens
 * CONIN$, clears line input, echo and processed input (raw mode), then waits on the input
 * handle with WaitForMultipleObjects (beside a semaphore, as crossterm's poll does) and counts
 * the pending events with GetNumberOfConsoleInputEvents. Prints one line per observation:
 *   wait=0         the input handle was signalled (what Windows does when a key is pending)
 *   pending=N      events pending although the wait timed out
 *   key vk=.. ch=.. ctrl=..   a key-down record read with ReadConsoleInputW
 * and ends on Ctrl-Q or after 20 seconds. Built with mingw by run.sh; Wine only. */
#include <windows.h>
#include <stdio.h>

int main(void) {
  HANDLE in = CreateFileW(L"CONIN$", GENERIC_READ | GENERIC_WRITE,
                          FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
  DWORD mode = 0;
  if (in == INVALID_HANDLE_VALUE || !GetConsoleMode(in, &mode)) {
    printf("probe: no console input (%lu)\n", GetLastError());
    return 2;
  }
  SetConsoleMode(in, mode & ~(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | ENABLE_PROCESSED_INPUT));
  HANDLE sem = CreateSemaphoreW(NULL, 0, 1, NULL);
  HANDLE handles[2] = {sem, in};
  printf("probe: ready\n");
  fflush(stdout);
  for (int i = 0; i < 100; i++) {
    DWORD r = WaitForMultipleObjects(2, handles, FALSE, 200);
    DWORD n = 0;
    GetNumberOfConsoleInputEvents(in, &n);
    if (r == WAIT_OBJECT_0 + 1) printf("wait=0\n");
    else if (n > 0) printf("pending=%lu\n", n);
    if (n == 0) { fflush(stdout); continue; }
    INPUT_RECORD rec[32];
    DWORD got = 0;
    if (!ReadConsoleInputW(in, rec, 32, &got)) break;
    for (DWORD k = 0; k < got; k++) {
      if (rec[k].EventType != KEY_EVENT || !rec[k].Event.KeyEvent.bKeyDown) continue;
      KEY_EVENT_RECORD *e = &rec[k].Event.KeyEvent;
      printf("key vk=%#x ch=%#x ctrl=%#lx\n", e->wVirtualKeyCode, e->uChar.UnicodeChar,
             e->dwControlKeyState);
      if (e->uChar.UnicodeChar == 0x11) { fflush(stdout); return 0; }
    }
    fflush(stdout);
  }
  return 1;
}
