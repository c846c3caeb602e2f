// What the three variants of the comparison share: the house's text rules, so each library does the same work.
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const ID = /^[A-Za-z0-9._:-]+$/;
export const PREFIX = /^[a-z0-9\-._~]*$/;
export const BASE_URL = /^https:\/\/[^\s/?#]+\/?$/;
