/* Display surfaces (XRGB8888 pixel buffers) and the rectangle arithmetic of dirty regions. */
#include <stdlib.h>
#include "ui/console.h"
#include "util/cutils.h"

DisplaySurface *surface_new(int width, int height)
{
    DisplaySurface *s;

    if (width < 1 || height < 1 || width > SURFACE_MAX_WIDTH || height > SURFACE_MAX_HEIGHT) {
        return NULL;
    }
    s = xzalloc(sizeof(*s));
    s->width = width;
    s->height = height;
    s->stride = width;
    s->data = xzalloc((size_t)width * height * sizeof(uint32_t));
    return s;
}

DisplaySurface *surface_new_shared(int width, int height, uint32_t *data, int stride)
{
    DisplaySurface *s;

    if (width < 1 || height < 1 || width > SURFACE_MAX_WIDTH || height > SURFACE_MAX_HEIGHT ||
        stride < width) {
        return NULL;
    }
    s = xzalloc(sizeof(*s));
    *s = (DisplaySurface){ width, height, stride, data, true };
    return s;
}

void surface_free(DisplaySurface *s)
{
    if (s) {
        if (!s->borrowed) {
            free(s->data);
        }
        free(s);
    }
}

void rect_union(Rect *acc, int x, int y, int w, int h)
{
    int x1, y1;

    if (w <= 0 || h <= 0) {
        return;
    }
    if (acc->w <= 0 || acc->h <= 0) {
        *acc = (Rect){ x, y, w, h };
        return;
    }
    x1 = MAX(acc->x + acc->w, x + w);
    y1 = MAX(acc->y + acc->h, y + h);
    acc->x = MIN(acc->x, x);
    acc->y = MIN(acc->y, y);
    acc->w = x1 - acc->x;
    acc->h = y1 - acc->y;
}

bool rect_clip(Rect *r, int width, int height)
{
    int x1 = MIN(r->x + r->w, width), y1 = MIN(r->y + r->h, height);

    r->x = MAX(r->x, 0);
    r->y = MAX(r->y, 0);
    r->w = x1 - r->x;
    r->h = y1 - r->y;
    if (r->w <= 0 || r->h <= 0) {
        *r = (Rect){ 0, 0, 0, 0 };
        return false;
    }
    return true;
}
