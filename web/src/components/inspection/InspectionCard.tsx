import type { Inspection } from '../../api.ts';

const pct = (v: number) => `${Math.round(v * 100)} %`;

/** One inspected unit: the photo (local preview, or the kept one) with the model's region, its call, and the final call. */
export function InspectionCard({ ins, preview, busy, onDecide }: { ins: Inspection; preview?: string; busy?: boolean; onDecide?: (defective: boolean) => void }) {
  const m = ins.model;
  const src = preview ?? ins.photo ?? undefined;
  return (
    <article className="insp-card" data-inspection={ins.id} aria-label={`Inspection ${ins.id}`}>
      {src && (
        <div className="insp-photo">
          <img src={src} alt={`Unit of inspection ${ins.id}`} />
          {m?.region && (
            <div
              className="insp-region"
              title={`most likely defect (score ${m.region.score})`}
              style={{ left: `${m.region.x * 100}%`, top: `${m.region.y * 100}%`, width: `${m.region.w * 100}%`, height: `${m.region.h * 100}%` }}
            />
          )}
        </div>
      )}
      <div className="insp-verdict">
        <div>
          <span className="muted">#{ins.id} model: </span>
          {m ? (
            <strong className={m.defective ? 'insp-bad' : 'insp-good'} data-model-call={m.defective ? 'defective' : 'defect-free'}>
              {m.defective ? 'Defective' : 'Defect-free'} · {pct(m.confidence)} confidence
            </strong>
          ) : (
            <span className="muted">no photo</span>
          )}
          {m && <span className="muted"> · {Math.round(m.ms)} ms</span>}
        </div>
        <div>
          <span className="muted">Final call: </span>
          {ins.final ? (
            <strong data-final-call={ins.final.defective ? 'defective' : 'defect-free'}>
              {ins.final.defective ? 'Defective' : 'Defect-free'}
              {ins.overridden && <span className="tag warning">overrides the model</span>}
            </strong>
          ) : (
            <span className="muted">waiting for you</span>
          )}
        </div>
        {onDecide && m && (
          <div className="row">
            <button type="button" disabled={busy} onClick={() => onDecide(m.defective)}>
              Confirm: {m.defective ? 'defective' : 'defect-free'}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => onDecide(!m.defective)}>
              Override: {m.defective ? 'defect-free' : 'defective'}
            </button>
          </div>
        )}
      </div>
    </article>
  );
}
