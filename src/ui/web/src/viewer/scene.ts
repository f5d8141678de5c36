/**
 * The three.js scene behind the viewer, z-up in millimetres like the meshes: the model standing on the build plate
 * (centred, lowest point at z = 0), in its stored orientation or turned by a rotation (the report's best
 * orientation); faces coloured like a slicer preview: overhangs (steeper than the overhang angle from vertical,
 * facing down, not resting on the bed — recomputed for the rotation), and the report's thin-wall and crossing faces
 * (by index in the file's triangle order), with the report's regions outlined as boxes; the chosen printer's plate
 * and build volume drawn to scale, orbit/zoom controls. Renders on demand (controls change, resize), with
 * `preserveDrawingBuffer` so the canvas can be read back.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';

export interface PlateSpec {
  buildVolumeMm: [number, number, number];
}

/** What the report marks on the mesh: face ids (file order) and region boxes (mesh coordinates, mm). */
export interface ViewMarks {
  thinFaceIds?: readonly number[];
  crossingFaceIds?: readonly number[];
  regions?: readonly { kind: 'thin' | 'crossing'; min: readonly number[]; max: readonly number[] }[];
}

export interface ViewStats {
  faces: number;
  overhangFaces: number;
  thinFaces: number;
  crossingFaces: number;
  /** Height of the model on the plate in this orientation, mm. */
  heightMm: number;
}

export interface SceneHandle {
  setGeometry(geometry: THREE.BufferGeometry, overhangAngleDeg: number): ViewStats;
  /** Turns the model (row-major 3 × 3 rotation; null = as stored) and sets the marks; recolours overhangs. */
  setView(rotation: readonly number[] | null, marks: ViewMarks): ViewStats;
  setPrinter(printer: PlateSpec | undefined): void;
  zoom(factor: number): void;
  dispose(): void;
}

const BASE = new THREE.Color(0x8fb3d9);
const OVERHANG = new THREE.Color(0xe4572e);
const THIN = new THREE.Color(0x7b2cbf);
const CROSSING = new THREE.Color(0xf2c14e);
const REGION_LINE = { thin: 0x5a189a, crossing: 0xb8860b } as const;

export function createScene(canvas: HTMLCanvasElement, onRender?: () => void): SceneHandle {
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
  const scene = new THREE.Scene();
  scene.background = new THREE.Color(0xf4f6f8);
  const camera = new THREE.PerspectiveCamera(40, 1, 1, 20000);
  camera.up.set(0, 0, 1);
  scene.add(new THREE.HemisphereLight(0xffffff, 0x667788, 1.6));
  const sun = new THREE.DirectionalLight(0xffffff, 1.8);
  sun.position.set(1, -2, 3);
  scene.add(sun);
  const controls = new OrbitControls(camera, canvas);
  controls.listenToKeyEvents(canvas);
  const plate = new THREE.Group();
  scene.add(plate);
  // The model and its region boxes in mesh coordinates, inside a group turned and lifted onto the plate.
  const part = new THREE.Group();
  scene.add(part);
  const boxes = new THREE.Group();
  part.add(boxes);
  let model: THREE.Mesh | undefined;
  let modelSize = new THREE.Vector3(100, 100, 100);
  let printer: PlateSpec | undefined;
  let angle = 45;
  let rotation: readonly number[] | null = null;
  let marks: ViewMarks = {};

  const render = () => {
    renderer.render(scene, camera);
    onRender?.();
  };
  const resize = () => {
    const w = canvas.clientWidth || 400;
    const h = canvas.clientHeight || 300;
    renderer.setSize(w, h, false);
    camera.aspect = w / h;
    camera.updateProjectionMatrix();
    render();
  };
  controls.addEventListener('change', render);
  const observer = new ResizeObserver(resize);
  observer.observe(canvas);

  const frame = () => {
    const [px, py, pz] = printer?.buildVolumeMm ?? [0, 0, 0];
    const span = Math.max(modelSize.x, modelSize.y, modelSize.z, px, py, pz * 0.8, 10);
    const target = new THREE.Vector3(
      0,
      0,
      printer ? Math.max(pz * 0.35, modelSize.z / 2) : Math.max(modelSize.z, 1) / 2,
    );
    camera.position.set(target.x + span * 1.25, target.y - span * 1.7, target.z + span * 1.0);
    camera.near = span / 100;
    camera.far = span * 50;
    camera.updateProjectionMatrix();
    controls.target.copy(target);
    controls.update();
  };

  const drawPlate = () => {
    for (const child of [...plate.children]) {
      plate.remove(child);
      disposeObject(child);
    }
    const [x, y, z] = printer?.buildVolumeMm ?? [Math.ceil(modelSize.x * 1.5), Math.ceil(modelSize.y * 1.5), 0];
    const bed = new THREE.Mesh(
      new THREE.PlaneGeometry(x, y),
      new THREE.MeshStandardMaterial({ color: 0xd5dbe1, side: THREE.DoubleSide }),
    );
    bed.position.z = -0.05;
    plate.add(bed);
    const grid = new THREE.GridHelper(Math.max(x, y), Math.max(2, Math.round(Math.max(x, y) / 10)), 0x9aa5b1, 0xbcc5ce);
    grid.rotation.x = Math.PI / 2;
    grid.scale.set(x / Math.max(x, y), 1, y / Math.max(x, y));
    plate.add(grid);
    if (printer) {
      const box = new THREE.LineSegments(
        new THREE.EdgesGeometry(new THREE.BoxGeometry(x, y, z)),
        new THREE.LineBasicMaterial({ color: 0x52606d }),
      );
      box.position.z = z / 2;
      plate.add(box);
    }
  };

  drawPlate();
  frame();
  resize();

  /** Places the part for the current rotation, colours its faces and redraws the region boxes. */
  const apply = (): ViewStats => {
    const m = new THREE.Matrix4();
    if (rotation) {
      const r = rotation;
      m.set(r[0]!, r[1]!, r[2]!, 0, r[3]!, r[4]!, r[5]!, 0, r[6]!, r[7]!, r[8]!, 0, 0, 0, 0, 1);
    }
    part.position.set(0, 0, 0);
    part.quaternion.setFromRotationMatrix(m);
    part.updateMatrixWorld(true);
    for (const child of [...boxes.children]) {
      boxes.remove(child);
      disposeObject(child);
    }
    if (!model) return { faces: 0, overhangFaces: 0, thinFaces: 0, crossingFaces: 0, heightMm: 0 };
    const bb = new THREE.Box3().setFromObject(model, true);
    const center = bb.getCenter(new THREE.Vector3());
    part.position.set(-center.x, -center.y, -bb.min.z);
    part.updateMatrixWorld(true);
    modelSize = bb.getSize(new THREE.Vector3());
    const stats = colourFaces(model.geometry, m, bb.min.z, angle, marks);
    for (const r of marks.regions ?? []) {
      const size = new THREE.Vector3(...r.max).sub(new THREE.Vector3(...r.min));
      // a region of one wall is flat: give the outline some depth so it stays visible
      const pad = Math.max(0.2, 0.01 * Math.max(modelSize.x, modelSize.y, modelSize.z));
      const outline = new THREE.LineSegments(
        new THREE.EdgesGeometry(new THREE.BoxGeometry(size.x + pad, size.y + pad, size.z + pad)),
        new THREE.LineBasicMaterial({ color: REGION_LINE[r.kind] }),
      );
      outline.position.set((r.min[0]! + r.max[0]!) / 2, (r.min[1]! + r.max[1]!) / 2, (r.min[2]! + r.max[2]!) / 2);
      boxes.add(outline);
    }
    drawPlate();
    frame();
    render();
    return { ...stats, heightMm: modelSize.z };
  };

  return {
    setGeometry(source, overhangAngleDeg) {
      const g = source.index ? source.toNonIndexed() : source;
      g.computeVertexNormals();
      if (model) {
        part.remove(model);
        disposeObject(model);
      }
      model = new THREE.Mesh(
        g,
        new THREE.MeshStandardMaterial({ vertexColors: true, roughness: 0.6, metalness: 0.05 }),
      );
      part.add(model);
      angle = overhangAngleDeg;
      return apply();
    },
    setView(r, m) {
      rotation = r;
      marks = m;
      return apply();
    },
    setPrinter(p) {
      printer = p;
      drawPlate();
      frame();
      render();
    },
    zoom(factor) {
      const offset = camera.position.clone().sub(controls.target).multiplyScalar(factor);
      camera.position.copy(controls.target).add(offset);
      controls.update();
      render();
    },
    dispose() {
      observer.disconnect();
      controls.dispose();
      scene.traverse((o) => disposeObject(o));
      renderer.dispose();
    },
  };
}

/**
 * Colours each face: crossing or thin (the report's face ids), else overhang (its normal, turned by `m`, points down
 * steeper than the angle and the face is not on the bed at `bedZ`), else base.
 */
function colourFaces(
  g: THREE.BufferGeometry,
  m: THREE.Matrix4,
  bedZ: number,
  overhangAngleDeg: number,
  marks: ViewMarks,
): Omit<ViewStats, 'heightMm'> {
  const pos = g.getAttribute('position') as THREE.BufferAttribute;
  const faces = pos.count / 3;
  const kind = new Uint8Array(faces); // 0 none, 1 thin, 2 crossing
  for (const f of marks.thinFaceIds ?? []) if (f < faces) kind[f] = 1;
  for (const f of marks.crossingFaceIds ?? []) if (f < faces) kind[f] = 2;
  const colors = new Float32Array(pos.count * 3);
  const threshold = -Math.sin((overhangAngleDeg * Math.PI) / 180);
  const a = new THREE.Vector3();
  const b = new THREE.Vector3();
  const c = new THREE.Vector3();
  const n = new THREE.Vector3();
  let overhangFaces = 0;
  let thinFaces = 0;
  let crossingFaces = 0;
  for (let f = 0; f < faces; f++) {
    a.fromBufferAttribute(pos, 3 * f).applyMatrix4(m);
    b.fromBufferAttribute(pos, 3 * f + 1).applyMatrix4(m);
    c.fromBufferAttribute(pos, 3 * f + 2).applyMatrix4(m);
    THREE.Triangle.getNormal(a, b, c, n);
    const onBed = Math.max(a.z, b.z, c.z) - bedZ < 0.05;
    const over = !onBed && n.z < threshold;
    if (over) overhangFaces++;
    let col = over ? OVERHANG : BASE;
    if (kind[f] === 1) {
      thinFaces++;
      col = THIN;
    } else if (kind[f] === 2) {
      crossingFaces++;
      col = CROSSING;
    }
    for (let v = 0; v < 3; v++) col.toArray(colors, 9 * f + 3 * v);
  }
  g.setAttribute('color', new THREE.BufferAttribute(colors, 3));
  return { faces, overhangFaces, thinFaces, crossingFaces };
}

function disposeObject(o: THREE.Object3D): void {
  const m = o as THREE.Mesh;
  m.geometry?.dispose();
  const mat = m.material as THREE.Material | THREE.Material[] | undefined;
  if (Array.isArray(mat)) for (const x of mat) x.dispose();
  else mat?.dispose();
}
