/** Removal (issue 21): unpublish items, erase users, edit item metadata. */
export { checkItemPatch, eraseUser, type ItemPatch, removeItem, updateItem } from './removal.js';
