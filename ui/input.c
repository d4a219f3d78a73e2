/* The input layer: routes key and pointer events from the back ends to the device that
 * registered last for that kind; absolute positions become relative motion for a mouse
 * when no absolute device exists; pressed keys are remembered so that a back end losing
 * the focus can release them. */
#include <stdlib.h>
#include "ui/input.h"
#include "util/cutils.h"

static InputHandler *handlers;
static uint8_t pressed[32];             /* one bit per qnum */
static int last_abs_x = -1, last_abs_y = -1;

void input_register(InputHandler *h)
{
    h->next = handlers;
    handlers = h;
}

void input_unregister(InputHandler *h)
{
    for (InputHandler **p = &handlers; *p; p = &(*p)->next) {
        if (*p == h) {
            *p = h->next;
            break;
        }
    }
    h->next = NULL;
}

void input_key(int qnum, bool down)
{
    if (qnum <= 0 || qnum > 0xff) {
        return;
    }
    if (down) {
        pressed[qnum >> 3] |= 1 << (qnum & 7);
    } else {
        pressed[qnum >> 3] &= ~(1 << (qnum & 7));
    }
    for (InputHandler *h = handlers; h; h = h->next) {
        if (h->key) {
            h->key(h->opaque, qnum, down);
            return;
        }
    }
}

void input_release_all(void)
{
    for (int q = 1; q < 256; q++) {
        if (pressed[q >> 3] & (1 << (q & 7))) {
            input_key(q, false);
        }
    }
}

void input_pointer_rel(int dx, int dy, int dz, unsigned buttons)
{
    for (InputHandler *h = handlers; h; h = h->next) {
        if (h->rel) {
            h->rel(h->opaque, dx, dy, dz, buttons);
            return;
        }
    }
}

bool input_has_absolute(void)
{
    for (InputHandler *h = handlers; h; h = h->next) {
        if (h->abs) {
            return true;
        }
    }
    return false;
}

void input_pointer_abs(int x, int y, int dz, unsigned buttons)
{
    int dx, dy;

    x = MAX(0, MIN(x, INPUT_ABS_MAX));
    y = MAX(0, MIN(y, INPUT_ABS_MAX));
    for (InputHandler *h = handlers; h; h = h->next) {
        if (h->abs) {
            h->abs(h->opaque, x, y, dz, buttons);
            return;
        }
    }
    /* a mouse: motion from the last position, in units of a 1024-pixel wide screen */
    if (last_abs_x < 0) {
        last_abs_x = x;
        last_abs_y = y;
    }
    dx = (x - last_abs_x) / 32;
    dy = (y - last_abs_y) / 32;
    last_abs_x += dx * 32;
    last_abs_y += dy * 32;
    input_pointer_rel(dx, dy, dz, buttons);
}
