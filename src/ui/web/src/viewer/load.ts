/** Mesh bytes → one three.js BufferGeometry (positions only), for STL, OBJ and 3MF (by file name). */
import * as THREE from 'three';
import { ThreeMFLoader } from 'three/addons/loaders/3MFLoader.js';
import { OBJLoader } from 'three/addons/loaders/OBJLoader.js';
import { STLLoader } from 'three/addons/loaders/STLLoader.js';
import { mergeGeometries } from 'three/addons/utils/BufferGeometryUtils.js';

export function parseGeometry(bytes: ArrayBuffer, name: string): THREE.BufferGeometry {
  const lower = name.toLowerCase();
  if (lower.endsWith('.obj')) return fromObject(new OBJLoader().parse(new TextDecoder().decode(bytes)));
  if (lower.endsWith('.3mf')) return fromObject(new ThreeMFLoader().parse(bytes));
  return new STLLoader().parse(bytes);
}

/** Every mesh of a group, world transforms applied, merged into one non-indexed position-only geometry. */
function fromObject(root: THREE.Object3D): THREE.BufferGeometry {
  root.updateMatrixWorld(true);
  const parts: THREE.BufferGeometry[] = [];
  root.traverse((o) => {
    const mesh = o as THREE.Mesh;
    if (!mesh.isMesh) return;
    let g = mesh.geometry.clone().applyMatrix4(mesh.matrixWorld);
    if (g.index) g = g.toNonIndexed();
    const only = new THREE.BufferGeometry();
    only.setAttribute('position', g.getAttribute('position'));
    parts.push(only);
  });
  if (parts.length === 0) throw new Error(`${name(root)} has no triangles`);
  return parts.length === 1 ? parts[0]! : mergeGeometries(parts);
}

const name = (o: THREE.Object3D) => o.name || 'the file';
